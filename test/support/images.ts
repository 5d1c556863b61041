/** Builds small real image files for tests: a JPEG whose EXIF carries GPS coordinates, and a plain PNG. */
import { deflateSync } from 'node:zlib';

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A TIFF/EXIF block (big-endian) with IFD0 → GPS IFD holding latitude/longitude as rationals. */
function exifWithGps(lat: number, lon: number): Buffer {
  const rationals = (deg: number) => {
    const d = Math.floor(deg);
    const m = Math.floor((deg - d) * 60);
    const s = Math.round(((deg - d) * 60 - m) * 60 * 100);
    return [d, 1, m, 1, s, 100];
  };
  const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 4 * 12 + 4 + 48);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  let at = 8;
  tiff.writeUInt16BE(1, at); // IFD0: one entry, GPSInfo
  tiff.writeUInt16BE(0x8825, at + 2);
  tiff.writeUInt16BE(4, at + 4);
  tiff.writeUInt32BE(1, at + 6);
  const gpsIfd = 8 + 2 + 12 + 4;
  tiff.writeUInt32BE(gpsIfd, at + 10);
  tiff.writeUInt32BE(0, at + 14);
  at = gpsIfd;
  const data = gpsIfd + 2 + 4 * 12 + 4;
  tiff.writeUInt16BE(4, at);
  const entries: [number, number, number, number | string][] = [
    [1, 2, 2, 'N'],
    [2, 5, 3, data],
    [3, 2, 2, 'E'],
    [4, 5, 3, data + 24],
  ];
  for (const [i, [tag, type, count, value]] of entries.entries()) {
    const e = at + 2 + i * 12;
    tiff.writeUInt16BE(tag, e);
    tiff.writeUInt16BE(type, e + 2);
    tiff.writeUInt32BE(count, e + 4);
    if (typeof value === 'string') tiff.write(`${value}\0`, e + 8, 'latin1');
    else tiff.writeUInt32BE(value, e + 8);
  }
  tiff.writeUInt32BE(0, at + 2 + 4 * 12);
  for (const [i, n] of [...rationals(lat), ...rationals(lon)].entries()) tiff.writeUInt32BE(n, data + i * 4);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

/** Structurally valid JPEG segments: JFIF, EXIF with GPS, a comment, tables, frame, scan. */
export function jpegWithGps(lat: number, lon: number): Buffer {
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const dqt = Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]);
  const sof = Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
  const sos = Buffer.from([1, 1, 0, 0, 0x3f, 0]);
  const scan = Buffer.from([0xd2, 0xcf, 0x20, 0xff, 0xd9]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, jfif),
    segment(0xe1, exifWithGps(lat, lon)),
    segment(0xfe, Buffer.from('taken by source K-7', 'latin1')),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xda, sos),
    scan,
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 PNG, with an optional tEXt chunk. */
export function png(text?: string): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(text ? [chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1'))] : []),
    chunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
