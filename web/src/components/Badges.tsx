/** The small marks the console repeats everywhere: type, status, TLP, party, Admiralty grade. */
import { humanize } from '../app/format.ts';
import {
  CREDIBILITY,
  RELIABILITY,
  STATUS_LABEL,
  type Status,
  TLP_MEANING,
  type Tlp,
  typeStyle,
} from '../domain/vocabulary.ts';

export function TypeSwatch({ type }: { type: string }) {
  return <span className="swatch" style={{ backgroundColor: typeStyle(type).color }} aria-hidden="true" />;
}

export function TypeLabel({ type }: { type: string }) {
  return (
    <span className="type-label">
      <TypeSwatch type={type} />
      {typeStyle(type).label}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      {STATUS_LABEL[status as Status] ?? humanize(status)}
    </span>
  );
}

/** FIRST TLP 2.0 colours on black, as the standard prints them. */
export function TlpBadge({ tlp }: { tlp: string }) {
  const cls = `tlp tlp-${tlp.toLowerCase().replace('+', '-')}`;
  return (
    <span className={cls} title={`TLP:${tlp} — ${TLP_MEANING[tlp as Tlp] ?? ''}`}>
      TLP:{tlp}
    </span>
  );
}

export function PartyTag({ party, title }: { party: string | null; title?: string }) {
  if (!party)
    return (
      <span className="party party-none" title={title ?? 'Not affiliated with a party'}>
        indep.
      </span>
    );
  return (
    <span className={`party party-${party.toLowerCase()}`} title={title ?? `Speaks for ${party}`}>
      {party}
    </span>
  );
}

export function AdmiraltyGrade({
  reliability,
  credibility,
}: {
  reliability: string | null;
  credibility: number;
}) {
  const r = reliability ?? '?';
  const title = `Source reliability ${r}: ${RELIABILITY[r] ?? 'withheld'} · Information credibility ${credibility}: ${CREDIBILITY[credibility] ?? ''}`;
  return (
    <abbr className="admiralty" title={title} aria-label={title}>
      {r}
      {credibility}
    </abbr>
  );
}
