/** The crossings board: each crossing's status now, since when, who is stranded, and its timeline and reopening plans. */
import { Fragment, useState } from 'react';
import type { Crossing } from '../api/types.ts';
import { formatCount, formatInstant, humanize } from '../app/format.ts';
import { useApi } from '../app/useApi.ts';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';

const LANG: Record<string, string> = { ps: 'Pashto', fa: 'Dari', ur: 'Urdu' };

function CrossingStatus({ status }: { status: string | undefined }) {
  const s = status ?? 'unknown';
  return (
    <span className={`crossing-status crossing-status-${s}`}>
      {s === 'unknown' ? 'no report' : humanize(s)}
    </span>
  );
}

/** Part days matter in the first week of a closure; after that whole days read better. */
function daysText(days: number): string {
  if (!days) return '0';
  return days < 10 ? days.toFixed(1) : formatCount(Math.floor(days));
}

export function CrossingsPage() {
  const { data, error, loading } = useApi<Crossing[]>('/crossings');
  const [open, setOpen] = useState<string | null>(null);
  const crossings = [...(data ?? [])].sort(
    (a, b) =>
      Number(Boolean(b.current)) - Number(Boolean(a.current)) ||
      (b.current?.status === 'closed' ? 1 : 0) - (a.current?.status === 'closed' ? 1 : 0) ||
      a.name.localeCompare(b.name),
  );
  return (
    <div className="page">
      <header className="page-head">
        <h1>Crossings</h1>
        <p className="lede">
          Status of each border crossing as last reported, days closed to date, people stranded and trucks
          queued where reported, and whether a neutral observer is present.
        </p>
        <a className="button button-quiet button-small" href="/crossings?format=csv" download="crossings.csv">
          CSV
        </a>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty>No crossings in the gazetteer.</Empty> : null}
      {crossings.length ? (
        <table className="table crossings">
          <thead>
            <tr>
              <th scope="col">Crossing</th>
              <th scope="col">Local names</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Since</th>
              <th scope="col">What moves</th>
              <th scope="col" className="num">
                Days closed
              </th>
              <th scope="col" className="num">
                Stranded
              </th>
              <th scope="col" className="num">
                Trucks
              </th>
              <th scope="col">Observer</th>
              <th scope="col">
                <span className="visually-hidden">Timeline</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {crossings.map((c) => (
              <Fragment key={c.id}>
                <tr id={c.id}>
                  <th scope="row">
                    {c.name}
                    <span className="sub">{[c.admin2, c.admin1, c.country].filter(Boolean).join(', ')}</span>
                  </th>
                  <td>
                    <div className="native-names">
                      {Object.entries(c.names ?? {}).map(([lang, name]) => (
                        <span
                          key={lang}
                          lang={lang === 'fa' ? 'fa-AF' : lang}
                          dir="rtl"
                          className="native-name"
                          title={LANG[lang] ?? lang}
                        >
                          {name}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>{c.crossingKind ? humanize(c.crossingKind) : '—'}</td>
                  <td>
                    <CrossingStatus status={c.current?.status} />
                  </td>
                  <td className="nowrap">{c.current ? formatInstant(c.current.since) : '—'}</td>
                  <td>{c.current?.moves.length ? c.current.moves.join(', ') : '—'}</td>
                  <td className="num">{daysText(c.daysClosed)}</td>
                  <td className="num">{formatCount(c.current?.stranded)}</td>
                  <td className="num">{formatCount(c.current?.trucksQueued)}</td>
                  <td>
                    {c.current?.observerPresent === null || !c.current
                      ? '—'
                      : c.current.observerPresent
                        ? 'yes'
                        : 'no'}
                  </td>
                  <td>
                    {c.history.length || c.plans.length ? (
                      <button
                        type="button"
                        className="button button-quiet button-small"
                        aria-expanded={open === c.id}
                        onClick={() => setOpen(open === c.id ? null : c.id)}
                      >
                        {open === c.id ? 'Hide' : `History (${c.history.length})`}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === c.id ? (
                  <tr className="detail-row">
                    <td colSpan={11}>
                      <ol className="crossing-history">
                        {[...c.history].reverse().map((h) => (
                          <li key={h.id}>
                            <CrossingStatus status={h.status} /> {formatInstant(h.since)}
                            {h.moves.length ? ` · ${h.moves.join(', ')}` : ''}
                            {h.stranded !== null ? ` · ${formatCount(h.stranded)} stranded` : ''}
                            {h.trucksQueued !== null ? ` · ${formatCount(h.trucksQueued)} trucks` : ''}
                            {h.reason ? (
                              <span className="note" dir="auto">
                                {' '}
                                — {h.reason}
                              </span>
                            ) : null}{' '}
                            <span className="hint">
                              ({h.recordedBy}, ledger #{h.ledgerSeq})
                            </span>
                          </li>
                        ))}
                      </ol>
                      {c.plans.map((plan) => (
                        <div key={plan.id} className="plan">
                          <strong dir="auto">{plan.name}</strong>
                          <ol>
                            {plan.phases.map((phase) => (
                              <li key={phase.id} className={phase.beganOn ? 'phase is-begun' : 'phase'}>
                                <span dir="auto">{phase.description}</span>{' '}
                                <span className="hint">
                                  {phase.beganOn ? `began ${phase.beganOn}` : 'not begun'}
                                </span>
                              </li>
                            ))}
                          </ol>
                        </div>
                      ))}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
