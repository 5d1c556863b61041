/** Every claim side by side: who said it, for whom they speak, how reliable, the exact words and how they counted. */
import type { Claim, FigureGroup, IncidentRecord } from '../../api/types.ts';
import { formatCount, formatDay, humanize } from '../../app/format.ts';
import { AdmiraltyGrade, PartyTag, TlpBadge } from '../../components/Badges.tsx';
import { ROLE_IN_RECONCILIATION, SOURCE_KIND } from '../../domain/vocabulary.ts';

const QUALIFIER: Record<string, string> = {
  exact: '',
  at_least: 'at least ',
  more_than: 'more than ',
  about: 'about ',
  up_to: 'up to ',
};

function roleOf(claim: Claim, groups: FigureGroup[], figure: Claim['figures'][number]): string | null {
  const group = groups.find(
    (g) => g.measure === figure.measure && g.category === figure.category && g.side === figure.side,
  );
  if (!group) return null;
  if (group.superseded.includes(claim.id)) return 'superseded';
  return group.roles[claim.id] ?? null;
}

function assertedText(asserted: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (asserted.happened === false) out.push('denies it happened');
  if (asserted.type) out.push(`type: ${humanize(String(asserted.type))}`);
  if (asserted.actorId) out.push(`actor: ${String(asserted.actorId)}`);
  if (asserted.targetId) out.push(`target: ${String(asserted.targetId)}`);
  if (asserted.responsibleId) out.push(`holds responsible: ${String(asserted.responsibleId)}`);
  if (asserted.retaliation) out.push('calls it retaliation');
  return out;
}

type Props = {
  record: IncidentRecord;
  open: string | null;
  onOpen(claimId: string | null): void;
};

export function ClaimCards({ record, open, onOpen }: Props) {
  const groups = [...record.fatalities.groups, ...record.injuries.groups];
  return (
    <ol className="claims" aria-label="Claims">
      {record.claims.map((claim) => {
        const source = claim.source;
        const asserted = assertedText(claim.asserted);
        return (
          <li key={claim.id} className={open === claim.id ? 'claim is-open' : 'claim'} data-testid="claim">
            <header className="claim-head">
              <div className="claim-source">
                <span className="claim-source-name" dir="auto">
                  {source ? source.name : 'Protected source (identity withheld)'}
                </span>
                <span className="claim-source-kind">
                  {source ? (SOURCE_KIND[source.kind] ?? humanize(source.kind)) : 'withheld'}
                </span>
              </div>
              <div className="claim-grade">
                <PartyTag party={source?.affiliation ?? null} />
                <AdmiraltyGrade reliability={source?.reliability ?? null} credibility={claim.credibility} />
              </div>
            </header>
            <p className="claim-date">
              Published {formatDay(claim.publishedAt.slice(0, 10))}
              {claim.tlp !== 'CLEAR' ? (
                <>
                  {' '}
                  <TlpBadge tlp={claim.tlp} />
                </>
              ) : null}
            </p>
            <blockquote className="claim-quote" dir="auto">
              {claim.quote}
            </blockquote>
            {claim.figures.length ? (
              <ul className="claim-figures">
                {claim.figures.map((figure) => {
                  const role = roleOf(claim, groups, figure);
                  return (
                    <li key={`${figure.measure}|${figure.category}|${figure.side}`}>
                      <span className="figure-value">
                        {QUALIFIER[figure.qualifier] ?? ''}
                        {formatCount(figure.value)}
                      </span>{' '}
                      {figure.side ?? 'no-party'} {figure.category}{' '}
                      {figure.measure === 'fatalities' ? 'killed' : 'injured'}
                      {role ? (
                        <span className={`role role-${role}`} title={ROLE_IN_RECONCILIATION[role] ?? role}>
                          {role}
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            ) : null}
            {asserted.length ? <p className="claim-asserted">Asserts {asserted.join(' · ')}</p> : null}
            <footer className="claim-foot">
              {claim.documentId ? (
                <button
                  type="button"
                  className="button button-quiet button-small"
                  aria-expanded={open === claim.id}
                  onClick={() => onOpen(open === claim.id ? null : claim.id)}
                >
                  {open === claim.id ? 'Hide document' : 'Show in document'}
                </button>
              ) : (
                <span className="hint">No stored document</span>
              )}
              <span className="hint">ledger #{claim.ledgerSeq}</span>
            </footer>
          </li>
        );
      })}
    </ol>
  );
}
