/** Situation: the map, the timeline and the list, linked by one filter held in the URL. */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, query } from '../../api/client.ts';
import type {
  ClusterResult,
  Crossing,
  DailyCounts,
  SituationPage as Page,
  SituationRow,
} from '../../api/types.ts';
import { addDays, formatCount, plural } from '../../app/format.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useApi } from '../../app/useApi.ts';
import { Loading } from '../../components/States.tsx';
import type { MapState } from '../../map/MapView.tsx';
import { Filters } from './Filters.tsx';
import { IncidentList } from './IncidentList.tsx';
import { Timeline } from './Timeline.tsx';
import { filterParams, parseView, type SituationView, viewSearch } from './view.ts';

const MapView = lazy(() => import('../../map/MapView.tsx'));

const round = (n: number) => Math.round(n * 1000) / 1000;

export default function SituationPage() {
  const { search } = useLocation();
  const view = useMemo(() => parseView(search), [search]);
  const [map, setMap] = useState<MapState | null>(null);
  const [initial] = useState(() => view.at);

  const update = useCallback(
    (patch: Partial<SituationView>, replace = false) =>
      navigate(`/${viewSearch({ ...parseView(new URLSearchParams(window.location.search)), ...patch })}`, {
        replace,
      }),
    [],
  );

  const bbox = map ? map.bbox.map(round).join(',') : undefined;
  const zoom = map ? Math.floor(map.zoom) : undefined;
  const clusters = useApi<ClusterResult>(
    map ? `/aggregate/clusters${query({ ...filterParams(view, { dates: true }), zoom, bbox })}` : null,
  );
  // Without the type filter: the timeline and the type counts show every type, filtered here.
  const daily = useApi<DailyCounts>(
    map ? `/aggregate/daily${query({ ...filterParams(view, { dates: false }), type: [], bbox })}` : null,
  );
  const crossings = useApi<Crossing[]>('/crossings');

  const listPath = map
    ? `/aggregate/incidents${query({ ...filterParams(view, { dates: true }), bbox, limit: 50 })}`
    : null;
  const [list, setList] = useState<{ rows: SituationRow[]; next: string | null; total: number | null }>({
    rows: [],
    next: null,
    total: null,
  });
  const [listState, setListState] = useState<{ loading: boolean; error: Error | null }>({
    loading: false,
    error: null,
  });
  useEffect(() => {
    if (!listPath) return;
    const controller = new AbortController();
    setListState({ loading: true, error: null });
    api<Page>(listPath, { signal: controller.signal })
      .then((page) => {
        setList({ rows: page.incidents, next: page.next, total: page.total });
        setListState({ loading: false, error: null });
      })
      .catch((error: Error) => {
        if (!controller.signal.aborted) setListState({ loading: false, error });
      });
    return () => controller.abort();
  }, [listPath]);
  const loadMore = () => {
    if (!listPath || !list.next) return;
    setListState({ loading: true, error: null });
    api<Page>(`${listPath}&after=${encodeURIComponent(list.next)}`)
      .then((page) => {
        setList((l) => ({ rows: [...l.rows, ...page.incidents], next: page.next, total: page.total }));
        setListState({ loading: false, error: null });
      })
      .catch((error: Error) => setListState({ loading: false, error }));
  };

  const typeCounts = useMemo(() => {
    const counts: Record<string, number> = {};
    for (const row of daily.data?.days ?? []) {
      if (view.from && row.day < view.from) continue;
      if (view.to && row.day > view.to) continue;
      for (const [type, n] of Object.entries(row.counts)) counts[type] = (counts[type] ?? 0) + n;
    }
    return counts;
  }, [daily.data, view.from, view.to]);

  const timelineCounts = useMemo<DailyCounts | null>(() => {
    if (!daily.data) return null;
    if (!view.types.length) return daily.data;
    const days = daily.data.days.map((d) => ({
      day: d.day,
      counts: Object.fromEntries(Object.entries(d.counts).filter(([type]) => view.types.includes(type))),
    }));
    return { ...daily.data, days };
  }, [daily.data, view.types]);

  const onMove = useCallback(
    (state: MapState) => {
      setMap(state);
      update({ at: state.at }, true);
    },
    [update],
  );

  const [copied, setCopied] = useState(false);
  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };

  // The situation report covers the brushed period; without one, the last 30 days.
  const reportTo = view.to ?? new Date().toISOString().slice(0, 10);
  const reportFrom = view.from ?? addDays(reportTo, -30);
  const reportHref = `/reports/situation${query({ from: reportFrom, to: reportTo })}`;

  const result = clusters.data;
  return (
    <div className="situation">
      <Filters
        view={view}
        typeCounts={typeCounts}
        onChange={(patch) => update(patch)}
        onReset={() => update({ from: null, to: null, types: [], parties: [], statuses: [], tlps: [] })}
      />
      <section className="situation-map" aria-label="Map">
        <div className="map-bar">
          <span className="map-stat" aria-live="polite" data-testid="map-total">
            {result ? (
              <>
                <strong>{formatCount(result.total)}</strong> {result.total === 1 ? 'incident' : 'incidents'}{' '}
                on the map · <strong>{formatCount(result.best)}</strong> killed (best estimate)
                {result.unlocated ? ` · ${plural(result.unlocated, 'incident')} without a place` : ''}
                {result.partialFigures ? ' · some figures withheld' : ''}
              </>
            ) : (
              'Loading…'
            )}
          </span>
          <span className="map-legend" aria-hidden="true">
            <span className="legend-dot legend-dot-small" />
            <span className="legend-dot legend-dot-large" /> size: killed (best) · ring: types in a cluster
          </span>
          <button type="button" className="button button-quiet button-small" onClick={share}>
            {copied ? 'Link copied' : 'Copy link to this view'}
          </button>
          <a
            className="button button-quiet button-small"
            href={reportHref}
            target="_blank"
            rel="noopener"
            data-testid="sitrep-link"
            title={`Situation report, ${reportFrom} to ${reportTo} (opens in a new tab)`}
          >
            Situation report
          </a>
        </div>
        <Suspense fallback={<Loading label="Loading the map…" />}>
          <MapView
            initial={initial}
            clusters={result}
            crossings={crossings.data ?? []}
            selected={view.selected}
            onMove={onMove}
            onSelect={(id) => update({ selected: id })}
            onCrossing={() => navigate('/crossings')}
          />
        </Suspense>
      </section>
      <IncidentList
        rows={list.rows}
        total={list.total}
        loading={listState.loading}
        error={listState.error}
        hasMore={Boolean(list.next)}
        selected={view.selected}
        onLoadMore={loadMore}
        onSelect={(id) => update({ selected: id })}
      />
      <Timeline
        counts={timelineCounts}
        from={view.from}
        to={view.to}
        onChange={(from, to) => update({ from, to })}
      />
    </div>
  );
}
