/** The incidents in view, newest first, a page at a time; the selected one previewed on top. */
import type { IncidentRecord, SituationRow } from '../../api/types.ts';
import { formatCount, formatDay, plural } from '../../app/format.ts';
import { useReference } from '../../app/reference.tsx';
import { Link } from '../../app/router.tsx';
import { useApi } from '../../app/useApi.ts';
import { StatusBadge, TlpBadge, TypeLabel, TypeSwatch } from '../../components/Badges.tsx';
import { Empty, ErrorNote, Loading } from '../../components/States.tsx';
import { typeStyle } from '../../domain/vocabulary.ts';

function Preview({ id, onClose }: { id: string; onClose(): void }) {
  const { data, error } = useApi<IncidentRecord>(`/incidents/${encodeURIComponent(id)}`);
  const { actorName } = useReference();
  if (error) return <ErrorNote error={error} what="The selected incident" />;
  if (!data) return <Loading />;
  const totals = data.fatalities.totals;
  const best = Object.values(totals).reduce((n, t) => n + t.best, 0);
  const high = Object.values(totals).reduce((n, t) => n + t.high, 0);
  return (
    <article className="preview" aria-labelledby="preview-title">
      <div className="preview-meta">
        <TypeLabel type={data.type} />
        <StatusBadge status={data.status} />
        <TlpBadge tlp={data.tlp} />
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close preview">
          ×
        </button>
      </div>
      <h3 id="preview-title" dir="auto">
        {data.title}
      </h3>
      <dl className="preview-facts">
        <dt>Date</dt>
        <dd>{formatDay(data.occurredOn, data.datePrecision)}</dd>
        <dt>Place</dt>
        <dd>
          {[data.place.admin2, data.place.admin1, data.place.country].filter(Boolean).join(', ') || '—'}
        </dd>
        <dt>Actor → target</dt>
        <dd>
          {actorName(data.actorId)} → {actorName(data.targetId)}
        </dd>
        <dt>Killed</dt>
        <dd>
          best {formatCount(best)} · high {formatCount(high)}
          {data.figuresDisputed ? ' · figures disputed' : ''}
        </dd>
        <dt>Claims</dt>
        <dd>{data.claims.length}</dd>
      </dl>
      <Link className="button button-primary" to={`/incidents/${encodeURIComponent(data.id)}`}>
        Open incident
      </Link>
    </article>
  );
}

type Props = {
  rows: SituationRow[];
  total: number | null;
  loading: boolean;
  error: Error | null;
  hasMore: boolean;
  selected: string | null;
  onLoadMore(): void;
  onSelect(id: string | null): void;
};

export function IncidentList({
  rows,
  total,
  loading,
  error,
  hasMore,
  selected,
  onLoadMore,
  onSelect,
}: Props) {
  return (
    <aside className="incident-list" aria-label="Incidents in view">
      {selected ? <Preview id={selected} onClose={() => onSelect(null)} /> : null}
      <div className="list-head">
        <h2 className="section-title">In view</h2>
        <span className="list-count">{total === null ? '…' : plural(total, 'incident')}</span>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!error && rows.length === 0 && !loading ? (
        <Empty>No incidents match the filters in this part of the map.</Empty>
      ) : null}
      <ol className="rows" data-testid="incident-rows">
        {rows.map((row) => (
          <li key={row.id} className={row.id === selected ? 'row is-selected' : 'row'}>
            <Link to={`/incidents/${encodeURIComponent(row.id)}`} className="row-link">
              <span className="row-line">
                <span className="row-date">{formatDay(row.occurredOn, row.datePrecision)}</span>
                <span className="row-type">
                  <TypeSwatch type={row.type} />
                  {typeStyle(row.type).short}
                </span>
                <StatusBadge status={row.status} />
              </span>
              <span className="row-title" dir="auto">
                {row.title}
              </span>
              <span className="row-line row-sub">
                <span>{[row.admin1, row.country].filter(Boolean).join(', ') || 'no place'}</span>
                <span className="row-killed">
                  {row.fatalitiesBest > 0 ? `${formatCount(row.fatalitiesBest)} killed` : ''}
                  {row.figuresDisputed ? ' ⚑' : ''}
                </span>
                {row.tlp !== 'CLEAR' ? <TlpBadge tlp={row.tlp} /> : null}
              </span>
            </Link>
          </li>
        ))}
      </ol>
      {loading ? <Loading /> : null}
      {hasMore && !loading ? (
        <button type="button" className="button button-quiet load-more" onClick={onLoadMore}>
          Load 50 more
        </button>
      ) : null}
    </aside>
  );
}
