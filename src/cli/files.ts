/** Reading files named on the command line: regular files only, size-capped, with errors naming the path. */
import { readFileSync, statSync } from 'node:fs';
import { TruceError } from '../domain/errors.ts';

export function readInputFile(path: string, maxBytes: number): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile())
      throw new TruceError('invalid_input', `${path}: not a regular file`, { field: 'file' });
    size = stat.size;
  } catch (error) {
    if (error instanceof TruceError) throw error;
    throw new TruceError(
      'invalid_input',
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code})`,
      { field: 'file' },
    );
  }
  if (size > maxBytes)
    throw new TruceError('too_large', `${path}: larger than ${maxBytes} bytes`, { field: 'file' });
  return readFileSync(path, 'utf8');
}

export function readJsonFile(path: string, maxBytes: number): unknown {
  const text = readInputFile(path, maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TruceError('invalid_input', `${path}: not valid JSON (${(error as Error).message})`, {
      field: 'file',
    });
  }
}
