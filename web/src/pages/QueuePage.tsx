/** The verification queue: what needs a monitor's decision first, worked from the keyboard. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueItem } from '../api/types.ts';
import { formatCount, formatDay } from '../app/format.ts';
import { useReference } from '../app/reference.tsx';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useApi } from '../app/useApi.ts';
import { StatusBadge, TlpBadge, TypeLabel } from '../components/Badges.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';
import { StatusDialog } from '../components/StatusDialog.tsx';
import { ALLOWED_MOVES, STATUS_LABEL, type Status } from '../domain/vocabulary.ts';

const KEYS: Record<string, Status> = { v: 'verified', d: 'disputed', r: 'refuted', c: 'corroborated' };

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(
    el &&
      (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.closest('dialog')),
  );
}

export function QueuePage() {
  const { data, error, loading, reload } = useApi<QueueItem[]>('/queue?limit=200');
  const { canWrite } = useSession();
  const { actorName } = useReference();
  const [index, setIndex] = useState(0);
  const [move, setMove] = useState<Status | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const items = data ?? [];
  const current = items[Math.min(index, items.length - 1)] ?? null;

  const select = useCallback(
    (next: number) => {
      const clamped = Math.max(0, Math.min(items.length - 1, next));
      setIndex(clamped);
      rows.current[clamped]?.focus();
    },
    [items.length],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || typing(event.target) || move) return;
      if (event.key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        select(index + 1);
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        select(index - 1);
      } else if ((event.key === 'Enter' || event.key === 'o') && current) {
        event.preventDefault();
        navigate(`/incidents/${encodeURIComponent(current.incident.id)}`);
      } else if (KEYS[event.key] && current && canWrite) {
        event.preventDefault();
        const to = KEYS[event.key]!;
        if (ALLOWED_MOVES[current.incident.status as Status]?.includes(to)) setMove(to);
        else
          setNotice(
            `A ${current.incident.status} incident cannot be moved to ${STATUS_LABEL[to].toLowerCase()} (CODEBOOK § Verification).`,
          );
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, current, canWrite, move, select]);

  return (
    <div className="page queue-page">
      <header className="page-head">
        <h1>Verification queue</h1>
        <p className="lede">
          Open incidents ranked by what needs a decision first: candidate violations awaiting attribution,
          disputes, new reports, then casualties.
        </p>
        <p className="keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
          {canWrite ? (
            <>
              {' '}
              · <kbd>v</kbd> verify · <kbd>c</kbd> corroborate · <kbd>d</kbd> dispute · <kbd>r</kbd> refute —
              each asks for a reason
            </>
          ) : (
            ' · actions are for monitors'
          )}
        </p>
      </header>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <Empty>Nothing waits for a decision.</Empty> : null}
      {items.length ? (
        <table className="table queue" aria-label="Verification queue; j and k move the selection">
          <thead>
            <tr>
              <th scope="col" className="num">
                Priority
              </th>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Incident</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Killed
              </th>
              <th scope="col">Why it is here</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr
                key={item.incident.id}
                ref={(el) => {
                  rows.current[i] = el;
                }}
                tabIndex={i === index ? 0 : -1}
                aria-current={i === index ? 'true' : undefined}
                className={i === index ? 'is-selected' : undefined}
                onClick={() => select(i)}
                onFocus={() => setIndex(i)}
                data-incident={item.incident.id}
              >
                <td className="num">{item.score}</td>
                <td className="nowrap">{formatDay(item.incident.occurredOn, item.incident.datePrecision)}</td>
                <td className="nowrap">
                  <TypeLabel type={item.incident.type} />
                </td>
                <td>
                  <Link to={`/incidents/${encodeURIComponent(item.incident.id)}`} dir="auto" tabIndex={-1}>
                    {item.incident.title}
                  </Link>
                  <span className="sub">
                    {actorName(item.incident.actorId)} → {actorName(item.incident.targetId)}
                    {item.incident.tlp !== 'CLEAR' ? (
                      <>
                        {' '}
                        <TlpBadge tlp={item.incident.tlp} />
                      </>
                    ) : null}
                  </span>
                </td>
                <td>
                  <StatusBadge status={item.incident.status} />
                </td>
                <td className="num">{formatCount(item.incident.fatalitiesBest)}</td>
                <td className="reasons">{item.reasons.join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {current ? (
        <StatusDialog
          incident={current.incident}
          to={move}
          onClose={() => setMove(null)}
          onDone={({ change }) => {
            setMove(null);
            setNotice(
              `Recorded ${change.fromStatus} → ${change.toStatus} for “${current.incident.title}”, ledger entry #${change.ledgerSeq}.`,
            );
            reload();
          }}
        />
      ) : null}
    </div>
  );
}
