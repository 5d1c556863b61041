/** `truce claims add`: enters one claim from flags or a JSON file, through the one write path. */
import type { Command } from 'commander';
import { TruceError } from '../domain/errors.ts';
import { addClaim } from '../record/claim.ts';
import { type InstanceFlags, printJson, withInstance, withInstanceOptions } from './common.ts';
import { readJsonFile } from './files.ts';

type AddFlags = InstanceFlags & {
  file?: string;
  incident?: string;
  source?: string;
  quote?: string;
  published?: string;
  document?: string;
  figure: string[];
  credibility?: string;
  tlp?: string;
  by: string;
};

/** `fatalities:military:PK:23` or `injuries:civilian:AF:12:at_least` (side `-` for none). */
export function parseFigure(text: string) {
  const [measure, category, side, value, qualifier = 'exact', ...rest] = text.split(':');
  if (!measure || !category || !side || value === undefined || rest.length > 0) {
    throw new TruceError(
      'invalid_input',
      `--figure: "${text}" is not measure:category:side:value[:qualifier]`,
      {
        field: 'figure',
      },
    );
  }
  return { measure, category, side: side === '-' ? null : side, value: Number(value), qualifier };
}

export function claimsCommand(program: Command): void {
  const claims = program.command('claims').description('enter claims');
  withInstanceOptions(
    claims
      .command('add')
      .description('add a claim to an incident (from flags, or --file claim.json)')
      .option('--file <path>', 'a JSON claim (fields as in POST /claims)')
      .option('--incident <id>', 'incident id')
      .option('--source <id>', 'source id')
      .option('--quote <text>', 'the exact words')
      .option('--published <when>', 'when the source said it (ISO date or date-time)')
      .option('--document <id>', 'stored document the quote comes from')
      .option(
        '--figure <m:c:side:n[:q]>',
        'a figure, repeatable: fatalities:military:PK:23',
        (v: string, all: string[]) => [...all, v],
        [],
      )
      .option('--credibility <1-6>', 'Admiralty information credibility')
      .option('--tlp <level>', 'CLEAR, GREEN, AMBER, AMBER+STRICT or RED')
      .option('--by <user>', 'who is entering it', 'operator'),
  ).action(async (flags: AddFlags) => {
    const input = flags.file
      ? readJsonFile(flags.file, 1024 * 1024)
      : {
          incidentId: flags.incident,
          sourceId: flags.source,
          quote: flags.quote,
          publishedAt: flags.published,
          ...(flags.document ? { documentId: flags.document } : {}),
          figures: flags.figure.map(parseFigure),
          ...(flags.credibility ? { credibility: Number(flags.credibility) } : {}),
          ...(flags.tlp ? { tlp: flags.tlp } : {}),
        };
    await withInstance(flags, async (instance) => {
      const { claim, incident } = await addClaim(instance.store, flags.by, input);
      printJson({
        claim: claim.id,
        ledgerSeq: claim.ledger_seq,
        incident: incident.id,
        status: incident.status,
        fatalities: incident.fatalities,
      });
    });
  });
}
