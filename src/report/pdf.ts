/** Prints a report's HTML to PDF with the machine's Chromium (Debian's; never a downloaded browser). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TruceError } from '../domain/errors.ts';

const run = promisify(execFile);

export function chromiumPath(): string | null {
  const path = process.env.TRUCE_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

export async function printPdf(html: string, out: string): Promise<void> {
  const chromium = chromiumPath();
  if (!chromium)
    throw new TruceError(
      'unavailable',
      'PDF needs Chromium (apt-get install chromium, or set TRUCE_CHROMIUM); HTML works without it',
    );
  const dir = mkdtempSync(join(tmpdir(), 'truce-report-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${resolve(out)}`,
        `file://${page}`,
      ],
      { timeout: 120_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!existsSync(out)) throw new TruceError('internal', 'Chromium did not write the PDF');
}
