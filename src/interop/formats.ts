/** The dataset layouts Truce imports, by the name the CLI and API use. */
import { ACLED } from './acled.ts';
import type { ImportFormat, ImportFormatName } from './event.ts';
import { NEW_AMERICA } from './newAmerica.ts';
import { UCDP } from './ucdp.ts';

export const IMPORT_FORMATS: Record<ImportFormatName, ImportFormat> = {
  acled: ACLED,
  ucdp: UCDP,
  'new-america': NEW_AMERICA,
};

export const IMPORT_FORMAT_NAMES = Object.keys(IMPORT_FORMATS) as ImportFormatName[];
