/**
 * Evidence files: what a file really is (by its bytes, not its name), and a copy without the
 * metadata (EXIF, GPS, XMP, comments, text chunks) that must not leave the mechanism.
 */
import { TruceError } from '../domain/errors.ts';

export type MediaType = 'image/jpeg' | 'image/png' | 'application/pdf';
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function detectMediaType(bytes: Buffer): MediaType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

const EXTENSIONS: Record<MediaType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
};

/** Accepts a file only if its bytes are one of the allowed types and its name does not claim another. */
export function checkFile(bytes: Buffer, name: string | null): MediaType {
  if (bytes.length === 0) throw new TruceError('invalid_input', 'file: is empty', { field: 'file' });
  if (bytes.length > MAX_FILE_BYTES) {
    throw new TruceError('too_large', `file: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, {
      field: 'file',
    });
  }
  const type = detectMediaType(bytes);
  if (!type) {
    throw new TruceError(
      'invalid_input',
      `file: ${name ? `"${name}" ` : ''}is not a JPEG, PNG or PDF by its content`,
      { field: 'file' },
    );
  }
  const extension = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension && !EXTENSIONS[type].includes(extension)) {
    throw new TruceError(
      'invalid_input',
      `file: "${name}" is named .${extension} but its content is ${type}`,
      { field: 'file' },
    );
  }
  return type;
}

/**
 * JPEG: keeps SOI, APP0 (JFIF), tables, frame and the scan; drops APP1–APP15 (EXIF with GPS,
 * XMP, ICC, vendor data) and COM comments. Everything from the first SOS on is copied as is.
 */
function stripJpeg(bytes: Buffer): Buffer {
  const out: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff)
      throw new TruceError('invalid_input', 'file: JPEG segment structure is broken', { field: 'file' });
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) break;
    if (marker === 0xda) {
      out.push(bytes.subarray(at));
      return Buffer.concat(out);
    }
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length)
      throw new TruceError('invalid_input', 'file: JPEG segment runs past the end', { field: 'file' });
    const drop = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
    if (!drop) out.push(bytes.subarray(at, end));
    at = end;
  }
  out.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(out);
}

const PNG_METADATA_CHUNKS = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

/** PNG: drops the chunks that carry EXIF, free text and timestamps; keeps the image chunks. */
function stripPng(bytes: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (end > bytes.length)
      throw new TruceError('invalid_input', 'file: PNG chunk runs past the end', { field: 'file' });
    if (!PNG_METADATA_CHUNKS.has(type)) out.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}

/**
 * The copy that may be shared beyond the mechanism. PDFs are returned unchanged with
 * `stripped: false`: their metadata cannot be removed safely here, so a monitor must review them.
 */
export function stripMetadata(bytes: Buffer, type: MediaType): { bytes: Buffer; stripped: boolean } {
  if (type === 'image/jpeg') return { bytes: stripJpeg(bytes), stripped: true };
  if (type === 'image/png') return { bytes: stripPng(bytes), stripped: true };
  return { bytes, stripped: false };
}
