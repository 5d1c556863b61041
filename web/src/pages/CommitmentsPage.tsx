/** Commitments: benchmarks a party undertook or an incentive is tied to, with due dates and what is overdue. */
import type { Commitment } from '../api/types.ts';
import { formatDay, humanize } from '../app/format.ts';
import { useReference } from '../app/reference.tsx';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useApi } from '../app/useApi.ts';
import { TlpBadge } from '../components/Badges.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';

export function CommitmentsPage() {
  const { search } = useLocation();
  const overdue = search.get('overdue') === 'true';
  const { data, error, loading } = useApi<Commitment[]>(`/commitments${overdue ? '?overdue=true' : ''}`);
  const { partyName } = useReference();
  return (
    <div className="page">
      <header className="page-head">
        <h1>Commitments</h1>
        <p className="lede">What each party undertook, by when, and the evidence behind its status.</p>
        <label className="check inline">
          <input
            type="checkbox"
            checked={overdue}
            onChange={(e) =>
              navigate(e.target.checked ? '/commitments?overdue=true' : '/commitments', { replace: true })
            }
          />
          <span>Overdue only</span>
        </label>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? (
        <Empty>{overdue ? 'Nothing is overdue.' : 'No commitments shared with you.'}</Empty>
      ) : null}
      {data?.length ? (
        <table className="table commitments">
          <thead>
            <tr>
              <th scope="col">Party</th>
              <th scope="col">Commitment</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {data.map((c) => (
              <tr key={c.id} className={c.overdue ? 'is-overdue' : undefined}>
                <td className="nowrap">
                  <span className={`party party-${c.partyId.toLowerCase()}`}>{c.partyId}</span>{' '}
                  <span className="hint">{partyName(c.partyId)}</span>
                </td>
                <td dir="auto">
                  {c.text} {c.tlp !== 'CLEAR' ? <TlpBadge tlp={c.tlp} /> : null}
                </td>
                <td className="nowrap">
                  {c.dueOn ? formatDay(c.dueOn) : 'no date'}
                  {c.overdue ? <span className="flag">overdue</span> : null}
                </td>
                <td>
                  <span className={`commitment-status commitment-${c.status}`}>{humanize(c.status)}</span>
                </td>
                <td>
                  <ul className="plain-list">
                    {c.evidence.map((e) => (
                      <li key={`${e.kind}|${e.ref}`}>
                        {e.kind === 'incident' ? (
                          <Link to={`/incidents/${encodeURIComponent(e.ref)}`}>{e.ref}</Link>
                        ) : (
                          <>
                            <span className="evidence-kind">{e.kind}</span> <code dir="ltr">{e.ref}</code>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
