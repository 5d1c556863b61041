/**
 * The sections of `npm run bench`, in the order they run and appear in BENCHMARKS.md. A section is
 * added here and nowhere else: its `name` becomes its key in bench/results.json and the name
 * `--only` takes.
 */
import { analysisSection } from './analysis.ts';
import { ingestSection } from './ingest.ts';
import { interopSection } from './interopSection.ts';
import { loadSection } from './load.ts';
import { recordSection } from './record.ts';
import { scaleSection } from './scale.ts';
import type { Section } from './section.ts';

export const SECTIONS: readonly Section<unknown>[] = [
  recordSection,
  loadSection,
  ingestSection,
  analysisSection,
  interopSection,
  scaleSection,
];
