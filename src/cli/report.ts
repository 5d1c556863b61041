/** `truce report --from --to [--out file.html|file.pdf] [--as user]`: the situation report. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { viewerOfUsername } from '../access/accounts.ts';
import { MECHANISM } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { printPdf } from '../report/pdf.ts';
import { situationReport } from '../report/sitrep.ts';
import { type InstanceFlags, withInstance, withInstanceOptions } from './common.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function reportCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('report')
      .description('situation report for a period, as HTML or PDF, marked with its TLP level on every page')
      .requiredOption('--from <day>', 'first day')
      .requiredOption('--to <day>', 'last day')
      .option('--out <file>', 'write here (.html or .pdf); default: HTML to standard output')
      .option('--as <username>', 'the report as this user may see it (default: the mechanism)'),
  ).action(async (flags: InstanceFlags & { from: string; to: string; out?: string; as?: string }) => {
    for (const field of ['from', 'to'] as const) {
      if (!DAY.test(flags[field]))
        throw new TruceError('invalid_input', `--${field}: a day, YYYY-MM-DD`, { field });
    }
    await withInstance(flags, async (instance) => {
      const viewer = flags.as ? await viewerOfUsername(instance.store, flags.as) : MECHANISM;
      const report = await situationReport(instance.store.db, viewer, { from: flags.from, to: flags.to });
      if (!flags.out) return void process.stdout.write(report.html);
      if (flags.out.endsWith('.pdf')) await printPdf(report.html, flags.out);
      else writeFileSync(flags.out, report.html);
      console.error(`wrote ${flags.out}: ${report.incidents} incidents, marked TLP:${report.tlp}`);
    });
  });
}
