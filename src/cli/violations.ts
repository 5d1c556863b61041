/** `truce violations list|attribute`: candidate violations, the per-party weekly register, and a monitor's attribution. */
import type { Command } from 'commander';
import { MECHANISM } from '../access/viewer.ts';
import { violations } from '../query/mechanism.ts';
import { attributeViolation } from '../record/violation.ts';
import { toCsv } from '../report/csv.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

export function violationsCommand(program: Command): void {
  const command = program.command('violations').description('agreements and violations');
  withInstanceOptions(
    command
      .command('list')
      .description('candidate violations and the attributed-violations register')
      .option('--agreement <id>', 'one agreement')
      .option('--from <day>', 'first day')
      .option('--to <day>', 'last day')
      .option('--json', 'print JSON')
      .option('--csv', 'print the register as CSV'),
  ).action(
    async (
      flags: InstanceFlags & {
        agreement?: string;
        from?: string;
        to?: string;
        json?: boolean;
        csv?: boolean;
      },
    ) => {
      await withInstance(flags, async (instance) => {
        const result = await violations(instance.store.db, MECHANISM, {
          ...(flags.agreement ? { agreementId: flags.agreement } : {}),
          ...(flags.from ? { from: flags.from } : {}),
          ...(flags.to ? { to: flags.to } : {}),
        });
        if (flags.json) return printJson(result);
        if (flags.csv) {
          return process.stdout.write(
            toCsv(result.register, [
              ['party', (r) => r.partyId],
              ['week', (r) => r.week],
              ['attributed_violations', (r) => r.count],
              ['incident_ids', (r) => r.incidentIds.join(' ')],
            ]),
          );
        }
        console.log('Candidate violations');
        printTable(
          result.candidates.map((c) => ({
            incident: c.incident.id,
            date: c.incident.occurred_on,
            agreement: c.agreementId,
            party: c.partyId,
            'in force': c.inForce,
            decision: c.attribution?.decision ?? 'awaiting',
            title: c.incident.title,
          })),
          ['incident', 'date', 'agreement', 'party', 'in force', 'decision', 'title'],
        );
        console.log('\nAttributed violations per party per week');
        printTable(
          result.register.map((r) => ({
            party: r.partyId,
            week: r.week,
            count: r.count,
            incidents: r.incidentIds.join(' '),
          })),
          ['party', 'week', 'count', 'incidents'],
        );
      });
    },
  );
  withInstanceOptions(
    command
      .command('attribute <incident>')
      .description('record a decision on a candidate violation')
      .requiredOption('--agreement <id>', 'the agreement')
      .requiredOption('--decision <d>', 'attributed, unattributable or not_a_violation')
      .requiredOption('--reasoning <text>', 'why, for the record')
      .option('--party <code>', "the party (default: the actor's)")
      .option('--by <user>', 'who decides', 'operator'),
  ).action(
    async (
      incident: string,
      flags: InstanceFlags & {
        agreement: string;
        decision: string;
        reasoning: string;
        party?: string;
        by: string;
      },
    ) => {
      await withInstance(flags, async (instance) => {
        const row = await attributeViolation(instance.store, flags.by, {
          incidentId: incident,
          agreementId: flags.agreement,
          decision: flags.decision,
          reasoning: flags.reasoning,
          ...(flags.party ? { partyId: flags.party } : {}),
        });
        console.log(
          `${row.decision}: ${incident} under ${row.agreement_id} (party ${row.party_id}), ledger entry ${row.ledger_seq}`,
        );
      });
    },
  );
}
