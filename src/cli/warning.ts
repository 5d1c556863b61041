/** `truce warning escalation|chains|forecast`: the early-warning views in a terminal, as the mechanism sees them. */
import type { Command } from 'commander';
import { MECHANISM } from '../access/viewer.ts';
import { chainsReport, escalationReport, forecastReport } from '../analysis/warning.ts';
import { TruceError } from '../domain/errors.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

type PeriodFlags = InstanceFlags & { json?: boolean; from?: string; to?: string };

const period = (flags: PeriodFlags) => ({
  ...(flags.from ? { from: flags.from } : {}),
  ...(flags.to ? { to: flags.to } : {}),
});

const fixed = (x: number, digits = 2) => x.toFixed(digits);

/** A numeric flag, or exit 2 naming it (the same contract as every other bad input). */
function numeric(value: string, flag: string, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new TruceError(
      'invalid_input',
      `${flag}: must be a non-negative ${integer ? 'integer' : 'number'}`,
      {
        field: flag,
      },
    );
  return n;
}

export function warningCommand(program: Command): void {
  const warning = program
    .command('warning')
    .description('early warning: escalation index, retaliation chains, forecast');

  withInstanceOptions(
    warning
      .command('escalation')
      .description('daily escalation index and its 7-day mean (default: the last 90 days)')
      .option('--from <day>', 'first day (YYYY-MM-DD)')
      .option('--to <day>', 'last day (YYYY-MM-DD; default today)')
      .option('--all', 'also list days without incidents')
      .option('--json', 'print JSON'),
  ).action(async (flags: PeriodFlags & { all?: boolean }) => {
    await withInstance(flags, async (instance) => {
      const report = await escalationReport(instance.store.db, MECHANISM, period(flags));
      if (flags.json) return printJson(report);
      printTable(
        report.days
          .filter((d) => flags.all || d.incidents > 0 || d.smoothed > 0)
          .map((d) => ({
            day: d.day,
            index: fixed(d.index),
            smoothed7: fixed(d.smoothed),
            incidents: d.incidents,
            ...Object.fromEntries(report.sides.map((s) => [s, fixed(d.bySide[s] ?? 0)])),
          })),
        ['day', 'index', 'smoothed7', 'incidents', ...report.sides],
      );
    });
  });

  withInstanceOptions(
    warning
      .command('chains')
      .description('retaliation links on the record and inferred candidates, best first')
      .option('--from <day>', 'first day (YYYY-MM-DD)')
      .option('--to <day>', 'last day (YYYY-MM-DD; default today)')
      .option('--max-days <n>', 'answer within this many days', '3')
      .option('--max-km <km>', 'answer within this distance', '50')
      .option('--json', 'print JSON'),
  ).action(async (flags: PeriodFlags & { maxDays: string; maxKm: string }) => {
    await withInstance(flags, async (instance) => {
      const report = await chainsReport(instance.store.db, MECHANISM, {
        ...period(flags),
        maxDays: numeric(flags.maxDays, '--max-days'),
        maxKm: numeric(flags.maxKm, '--max-km', false),
      });
      if (flags.json) return printJson(report);
      printTable(
        [
          ...report.explicit.map((l) => ({
            kind: `on record (${l.basis})`,
            score: '',
            day: l.incident?.day,
            incident: l.incidentId,
            answers: l.answersId,
            why: l.reason,
          })),
          ...report.inferred.map((l) => ({
            kind: 'inferred',
            score: fixed(l.score, 3),
            day: l.incident?.day,
            incident: l.incidentId,
            answers: l.answersId,
            why: l.reason,
          })),
        ],
        ['kind', 'score', 'day', 'incident', 'answers', 'why'],
      );
    });
  });

  withInstanceOptions(
    warning
      .command('forecast')
      .description('fit the Hawkes model and forecast daily incidents per side')
      .option('--from <day>', 'fit from this day (default: the first incident)')
      .option('--to <day>', 'fit up to this day; the forecast starts the day after (default today)')
      .option('--days <n>', 'forecast horizon in days', '7')
      .option('--paths <n>', 'simulated paths', '1000')
      .option('--seed <n>', 'random seed', '1')
      .option('--json', 'print JSON'),
  ).action(async (flags: PeriodFlags & { days: string; paths: string; seed: string }) => {
    await withInstance(flags, async (instance) => {
      const report = await forecastReport(instance.store.db, MECHANISM, {
        ...period(flags),
        days: numeric(flags.days, '--days'),
        paths: numeric(flags.paths, '--paths'),
        seed: numeric(flags.seed, '--seed'),
      });
      if (flags.json) return printJson(report);
      const { params } = report;
      console.log(
        `fitted on ${report.window.from} … ${report.window.to}: ${JSON.stringify(report.window.incidents)}`,
      );
      console.log(`mu ${JSON.stringify(params.mu)}  alpha ${JSON.stringify(params.alpha)}`);
      console.log(
        `half-life ${params.halfLifeDays} days  branching ratio ${params.branchingRatio}  (${params.iterations} EM iterations${params.converged ? '' : ', not converged'})`,
      );
      for (const side of report.sides) {
        const a = report.answers[side]!;
        console.log(`${side}: background ${a.background}, triggered by ${JSON.stringify(a.triggeredBy)}`);
      }
      printTable(
        report.sides.flatMap((side) =>
          report.forecast.sides[side]!.days.map((d) => ({
            side,
            date: d.date,
            mean: fixed(d.mean),
            '80%': `${d.p80[0]}–${d.p80[1]}`,
            '95%': `${d.p95[0]}–${d.p95[1]}`,
            'P(≥1)': fixed(d.pAtLeastOne),
          })),
        ),
        ['side', 'date', 'mean', '80%', '95%', 'P(≥1)'],
      );
      for (const caveat of report.caveats) console.log(`note: ${caveat}`);
    });
  });
}
