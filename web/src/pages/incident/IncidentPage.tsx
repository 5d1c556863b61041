/** One incident: reconciled figures and their rules, the claims side by side, status history, links and the ledger proof. */
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { IncidentRecord, Place, RetaliationLink } from '../../api/types.ts';
import { formatDay, formatInstant, humanize } from '../../app/format.ts';
import { useReference } from '../../app/reference.tsx';
import { Link } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { useApi } from '../../app/useApi.ts';
import { StatusBadge, TlpBadge, TypeLabel } from '../../components/Badges.tsx';
import { LedgerProof } from '../../components/LedgerProof.tsx';
import { ErrorNote, Loading } from '../../components/States.tsx';
import { actionLabel, StatusDialog } from '../../components/StatusDialog.tsx';
import { ALLOWED_MOVES, type Status } from '../../domain/vocabulary.ts';
import { ClaimCards } from './Claims.tsx';
import { DocumentView } from './DocumentView.tsx';
import { FiguresTable } from './Figures.tsx';

const LANGUAGE: Record<string, string> = { ps: 'Pashto', fa: 'Dari', prs: 'Dari', ur: 'Urdu', en: 'English' };

function PlaceName({ incident }: { incident: IncidentRecord }) {
  const [place, setPlace] = useState<Place | null>(null);
  useEffect(() => {
    if (!incident.place.id) return;
    api<Place>(`/places/${encodeURIComponent(incident.place.id)}`).then(setPlace, () => setPlace(null));
  }, [incident.place.id]);
  const parts = [incident.place.admin2, incident.place.admin1, incident.place.country].filter(Boolean);
  return (
    <span className="place">
      <span>
        {place?.name && !parts.includes(place.name) ? `${place.name}, ` : ''}
        {parts.join(', ') || 'no place'}
      </span>
      {place
        ? Object.entries(place.names ?? {}).map(([lang, name]) => (
            <span
              key={lang}
              className="native-name"
              lang={lang === 'fa' ? 'fa-AF' : lang}
              dir="rtl"
              title={LANGUAGE[lang] ?? lang}
            >
              {name}
            </span>
          ))
        : null}
      {incident.place.geoPrecision ? (
        <span className="hint">
          {' '}
          (precision: {['', 'exact place', 'district', 'province'][incident.place.geoPrecision]})
        </span>
      ) : null}
    </span>
  );
}

/** A linked incident by its title, when the viewer may see it (links to hidden incidents never arrive). */
function IncidentTitle({ id }: { id: string }) {
  const { data } = useApi<IncidentRecord>(`/incidents/${encodeURIComponent(id)}`);
  return (
    <Link to={`/incidents/${encodeURIComponent(id)}`} dir="auto">
      {data ? `${formatDay(data.occurredOn, data.datePrecision)} — ${data.title}` : id}
    </Link>
  );
}

function Links({
  title,
  links,
  other,
}: {
  title: string;
  links: RetaliationLink[];
  other: 'answersId' | 'incidentId';
}) {
  if (!links.length) return null;
  return (
    <div className="side-block">
      <h3 className="side-title">{title}</h3>
      <ul className="plain-list">
        {links.map((link) => (
          <li key={link.id}>
            <IncidentTitle id={link[other]} />{' '}
            <span className="hint">
              ({link.basis === 'source' ? 'a source says so' : 'linked by a monitor'})
            </span>
            <p className="note" dir="auto">
              {link.reason}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function IncidentPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<IncidentRecord>(`/incidents/${encodeURIComponent(id)}`);
  const { canWrite, me } = useSession();
  const { actorName } = useReference();
  const [openClaim, setOpenClaim] = useState<string | null>(null);
  const [move, setMove] = useState<Status | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (error)
    return (
      <div className="page">
        <p className="crumbs">
          <Link to="/">Situation</Link> / incident
        </p>
        <ErrorNote error={error} what={`Incident ${id}`} />
      </div>
    );
  if (!data) return <Loading />;

  const moves = data.mergedInto ? [] : (ALLOWED_MOVES[data.status as Status] ?? []);
  const claim = data.claims.find((c) => c.id === openClaim) ?? null;
  return (
    <div className="page incident-page">
      <p className="crumbs">
        <Link to="/">Situation</Link> / incident <code>{data.id}</code>
      </p>
      <header className="incident-head">
        <div className="incident-badges">
          <TypeLabel type={data.type} />
          <StatusBadge status={data.status} />
          <TlpBadge tlp={data.tlp} />
          {data.figuresDisputed ? <span className="flag">figures disputed</span> : null}
        </div>
        <h1 dir="auto" data-testid="incident-title">
          {data.title}
        </h1>
        <dl className="facts">
          <div>
            <dt>Date</dt>
            <dd>{formatDay(data.occurredOn, data.datePrecision)}</dd>
          </div>
          <div>
            <dt>Place</dt>
            <dd>
              <PlaceName incident={data} />
            </dd>
          </div>
          <div>
            <dt>Actor → target</dt>
            <dd>
              {actorName(data.actorId)} → {actorName(data.targetId)}
            </dd>
          </div>
          {data.chainId ? (
            <div>
              <dt>Chain</dt>
              <dd>
                <code>{data.chainId}</code>
              </dd>
            </div>
          ) : null}
          {data.mergedInto ? (
            <div>
              <dt>Merged into</dt>
              <dd>
                <Link to={`/incidents/${encodeURIComponent(data.mergedInto)}`}>{data.mergedInto}</Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </header>

      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}

      <div className="incident-grid">
        <div className="incident-main">
          <section aria-labelledby="figures-title" className="block">
            <h2 id="figures-title" className="section-title">
              Casualties
            </h2>
            {data.fatalities.groups.length || data.injuries.groups.length ? (
              <>
                <FiguresTable measure="fatalities" figures={data.fatalities} />
                <FiguresTable measure="injuries" figures={data.injuries} />
              </>
            ) : (
              <p className="hint">No claim gives a casualty figure.</p>
            )}
          </section>
          <section aria-labelledby="claims-title" className="block">
            <h2 id="claims-title" className="section-title">
              Claims <span className="count">{data.claims.length}</span>
            </h2>
            <ClaimCards record={data} open={openClaim} onOpen={setOpenClaim} />
            {claim?.documentId ? (
              <DocumentView
                key={claim.id}
                claim={claim}
                sourceName={claim.source?.name ?? 'The protected source'}
                onClose={() => setOpenClaim(null)}
              />
            ) : null}
          </section>
        </div>

        <aside className="incident-side">
          <section className="side-block" aria-labelledby="status-title">
            <h2 id="status-title" className="section-title">
              Status
            </h2>
            <p className="status-now">
              <StatusBadge status={data.status} />
            </p>
            {canWrite && moves.length ? (
              <fieldset className="actions">
                <legend className="visually-hidden">Change status</legend>
                {moves.map((to) => (
                  <button
                    key={to}
                    type="button"
                    className={to === 'verified' ? 'button button-primary' : 'button'}
                    onClick={() => setMove(to)}
                  >
                    {actionLabel(data.status, to)}
                  </button>
                ))}
              </fieldset>
            ) : null}
            <ol className="history" aria-label="Status history">
              {[...data.statusHistory].reverse().map((change) => (
                <li key={change.id}>
                  <p className="history-line">
                    <StatusBadge status={change.fromStatus} /> → <StatusBadge status={change.toStatus} />
                  </p>
                  <p className="history-meta">
                    {formatInstant(change.changedAt)} ·{' '}
                    {change.changedBy === me?.userId ? `you (${me.username})` : change.changedBy} ·{' '}
                    <Link to={`/ledger?seq=${change.ledgerSeq}`}>ledger #{change.ledgerSeq}</Link>
                  </p>
                  <p className="note" dir="auto">
                    {change.reason}
                  </p>
                  {change.evidence.length ? (
                    <ul className="evidence">
                      {change.evidence.map((e) => (
                        <li key={`${e.kind}|${e.ref}`}>
                          <span className="evidence-kind">{humanize(e.kind)}</span>{' '}
                          <code dir="auto">{e.ref}</code>
                          {e.note ? (
                            <span className="hint" dir="auto">
                              {' '}
                              — {e.note}
                            </span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
              <li>
                <p className="history-line">
                  <StatusBadge status="reported" />
                </p>
                <p className="history-meta">Created {formatInstant(data.createdAt)}</p>
              </li>
            </ol>
          </section>
          <Links title="Answers (retaliation for)" links={data.answers} other="answersId" />
          <Links title="Answered by" links={data.answeredBy} other="incidentId" />
          {data.merged.length ? (
            <div className="side-block">
              <h3 className="side-title">Merged into this one</h3>
              <ul className="plain-list">
                {data.merged.map((m) => (
                  <li key={m.id}>
                    <Link to={`/incidents/${encodeURIComponent(m.id)}`}>{m.id}</Link> ·{' '}
                    <span dir="auto">{m.title}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <section className="side-block" aria-labelledby="ledger-title">
            <h2 id="ledger-title" className="section-title">
              Ledger
            </h2>
            <LedgerProof key={data.ledgerSeq} seq={data.ledgerSeq} subject="This incident" />
          </section>
        </aside>
      </div>
      <StatusDialog
        incident={data}
        to={move}
        onClose={() => setMove(null)}
        onDone={({ change }) => {
          setMove(null);
          setNotice(
            `Recorded: ${change.fromStatus} → ${change.toStatus}, ledger entry #${change.ledgerSeq}.`,
          );
          reload();
        }}
      />
    </div>
  );
}
