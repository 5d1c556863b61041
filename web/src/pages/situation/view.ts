/** The situation view as URL parameters: filters, date range, map position, selection — so a view can be shared. */

export type MapAt = { zoom: number; lat: number; lon: number };

export type SituationView = {
  from: string | null;
  to: string | null;
  types: string[];
  parties: string[];
  statuses: string[];
  tlps: string[];
  at: MapAt | null;
  selected: string | null;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const listOf = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

export function parseView(search: URLSearchParams): SituationView {
  const day = (key: string) => {
    const value = search.get(key);
    return value && DAY.test(value) ? value : null;
  };
  let at: MapAt | null = null;
  const rawAt = search.get('at');
  if (rawAt) {
    const [zoom, lat, lon] = rawAt.split('/').map(Number);
    if ([zoom, lat, lon].every((n) => Number.isFinite(n))) at = { zoom: zoom!, lat: lat!, lon: lon! };
  }
  return {
    from: day('from'),
    to: day('to'),
    types: listOf(search.get('type')),
    parties: listOf(search.get('party')),
    statuses: listOf(search.get('status')),
    tlps: listOf(search.get('tlp')),
    at,
    selected: search.get('sel'),
  };
}

export function viewSearch(view: SituationView): string {
  const search = new URLSearchParams();
  if (view.from) search.set('from', view.from);
  if (view.to) search.set('to', view.to);
  if (view.types.length) search.set('type', view.types.join(','));
  if (view.parties.length) search.set('party', view.parties.join(','));
  if (view.statuses.length) search.set('status', view.statuses.join(','));
  if (view.tlps.length) search.set('tlp', view.tlps.join(','));
  if (view.at)
    search.set('at', `${view.at.zoom.toFixed(2)}/${view.at.lat.toFixed(4)}/${view.at.lon.toFixed(4)}`);
  if (view.selected) search.set('sel', view.selected);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The filter parameters every /aggregate request carries. */
export function filterParams(view: SituationView, options: { dates: boolean }) {
  return {
    type: view.types,
    party: view.parties,
    status: view.statuses,
    tlp: view.tlps,
    ...(options.dates ? { from: view.from, to: view.to } : {}),
  };
}

export function hasFilters(view: SituationView): boolean {
  return Boolean(
    view.from ||
      view.to ||
      view.types.length ||
      view.parties.length ||
      view.statuses.length ||
      view.tlps.length,
  );
}
