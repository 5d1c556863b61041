/** Shapes an ingest result for people (`--explain`) and for clients (JSON): each field with the sentence behind it. */
import type { IncidentOutcome, IngestResult } from './ingest.ts';
import type { Evidence } from './proposal.ts';

function quote(body: string, evidence: Evidence): string {
  const text = body.slice(evidence.start, evidence.end).replace(/\s+/g, ' ');
  return `[${evidence.start}-${evidence.end}] "${text.length > 160 ? `${text.slice(0, 157)}…` : text}"`;
}

function outcomeLine(o: IncidentOutcome): string {
  if (o.action === 'matched' || o.action === 'would match')
    return `${o.action} ${o.incidentId} (score ${o.match?.score}: ${o.match?.reason})`;
  if (o.action === 'created') return `created ${o.incidentId}`;
  return o.note ? `${o.action}: ${o.note}` : o.action;
}

/** The `--explain` text: every proposed field, its value, the words that decided it and its sentence. */
export function explain(result: IngestResult): string {
  const { body } = result.document;
  const lines: string[] = [];
  const d = result.document;
  lines.push(
    `document ${d.id ?? '(not stored)'}${result.duplicate ? ' (already stored: skipped)' : ''} — ${d.title ?? '(no title)'}`,
    `  outlet ${d.outlet ?? '(none)'}; dates resolved against ${result.extraction.reference.day} (${result.extraction.reference.from}); ${result.extraction.sentences} sentences`,
  );
  if (result.extraction.incidents.length === 0 && result.extraction.accords.length === 0)
    lines.push('  no incidents found');
  result.extraction.incidents.forEach((p, i) => {
    const o = result.outcomes[i];
    lines.push(`incident ${i + 1}: ${p.title}${o ? ` → ${outcomeLine(o)}` : ''}`);
    const field = (name: string, value: string, evidence: Evidence) =>
      lines.push(`  ${name.padEnd(8)} ${value}  ← "${evidence.cue}" ${quote(body, evidence)}`);
    field('type', p.type.value, p.type.evidence);
    field('date', `${p.date.value.day} (${p.date.value.precision})`, p.date.evidence);
    if (p.place)
      field(
        'place',
        `${p.place.value.placeId} ${p.place.value.name} (precision ${p.place.value.geoPrecision})`,
        p.place.evidence,
      );
    else lines.push('  place    (none read)');
    if (p.actor) field('actor', p.actor.value, p.actor.evidence);
    if (p.target) field('target', p.target.value, p.target.evidence);
    for (const c of p.claims) {
      lines.push(`  claim    by ${c.source.id} (${c.how}) ${quote(body, { ...c.span, cue: '' })}`);
      for (const f of c.figures)
        lines.push(
          `    figure ${f.measure} ${f.category} side=${f.side ?? '-'} ${f.qualifier === 'exact' ? '' : `${f.qualifier} `}${f.value}  ← "${f.evidence.cue}"`,
        );
    }
  });
  for (const a of result.extraction.accords) {
    lines.push(
      `${a.kind.replace('_', ' ')}: ${a.date.value.day} (${a.date.value.precision})${a.venue ? ` in ${a.venue.value}` : ''} — proposed only, not recorded`,
    );
    for (const c of a.claims)
      lines.push(`  claim    by ${c.source.id} (${c.how}) ${quote(body, { ...c.span, cue: '' })}`);
  }
  return lines.join('\n');
}

/** The JSON summary of a result (what the API returns and `truce ingest --json` prints). */
export function presentIngest(result: IngestResult) {
  const { body: _body, ...document } = result.document;
  return {
    document,
    duplicate: result.duplicate,
    reference: result.extraction.reference,
    incidents: result.extraction.incidents.map((p, i) => ({
      ...p,
      outcome: result.outcomes[i]
        ? {
            action: result.outcomes[i].action,
            incidentId: result.outcomes[i].incidentId,
            match: result.outcomes[i].match,
            claimIds: result.outcomes[i].claimIds,
            note: result.outcomes[i].note ?? null,
          }
        : null,
    })),
    accords: result.extraction.accords,
  };
}
