/**
 * The situation report: headline numbers, a map, the escalation chart, crossings, the violations
 * register, notable incidents with their contested figures, the forecast and the record of who
 * acted — as one self-contained HTML page (no script, no network), marked with its TLP level on
 * every printed page. Everything is read through the viewer's access policy.
 */
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Viewer } from '../access/viewer.ts';
import { escalationReport, forecastReport } from '../analysis/warning.ts';
import { TLP_LEVELS, type Tlp } from '../domain/tlp.ts';
import { actionRecord } from '../query/exchange.ts';
import { countIncidents, listIncidents } from '../query/incidents.ts';
import { crossingsBoard, violations } from '../query/mechanism.ts';
import type { Database, IncidentRow } from '../store/schema.ts';

type Db = Kysely<Database>;
type Group = {
  measure: string;
  category: string;
  side: string | null;
  low: number | null;
  best: number | null;
  high: number | null;
  rule: string;
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const OUTLINE = new URL('../../data/gazetteer/afghanistan-adm1.geojson', import.meta.url);

/** Every incident of the period the viewer may see (bounded: a report is a summary, not an export). */
async function periodIncidents(
  db: Db,
  viewer: Viewer,
  from: string,
  to: string,
  max = 20_000,
): Promise<IncidentRow[]> {
  const rows: IncidentRow[] = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listIncidents>> = await listIncidents(db, viewer, {
      from,
      to,
      limit: 1000,
      ...(after ? { after } : {}),
    });
    rows.push(...page.incidents);
    after = page.next;
  } while (after && rows.length < max);
  return rows;
}

/** The most restrictive level of anything in the report: the report is shared no wider than its parts. */
export function reportLevel(levels: readonly string[]): Tlp {
  let worst = 0;
  for (const level of levels) worst = Math.max(worst, TLP_LEVELS.indexOf(level as Tlp));
  return TLP_LEVELS[worst] ?? 'CLEAR';
}

function mapSvg(incidents: readonly IncidentRow[]): string {
  const W = 640;
  const H = 420;
  const [west, east, south, north] = [60, 75.5, 24, 38.5];
  const x = (lon: number) => ((lon - west) / (east - west)) * W;
  const y = (lat: number) => ((north - lat) / (north - south)) * H;
  let outline = '';
  try {
    const geo = JSON.parse(readFileSync(OUTLINE, 'utf8')) as {
      features: { geometry: { type: string; coordinates: number[][][] | number[][][][] } }[];
    };
    for (const feature of geo.features) {
      const polygons = (
        feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates
      ) as number[][][][];
      for (const polygon of polygons) {
        const ring = polygon[0] ?? [];
        outline += `<path d="M${ring.map(([lon, lat]) => `${x(lon!).toFixed(1)},${y(lat!).toFixed(1)}`).join('L')}Z"/>`;
      }
    }
  } catch {
    outline = '';
  }
  const dots = incidents
    .filter((i) => i.lat !== null && i.lon !== null)
    .map(
      (i) =>
        `<circle cx="${x(i.lon!).toFixed(1)}" cy="${y(i.lat!).toFixed(1)}" r="${(2.5 + Math.sqrt(i.fatalities_best)).toFixed(1)}" class="t-${escapeHtml(i.type)}"><title>${escapeHtml(i.occurred_on)} ${escapeHtml(i.title)}</title></circle>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" class="map" role="img" aria-label="Incidents of the period"><g class="admin">${outline}</g><g>${dots}</g></svg>`;
}

function chartSvg(days: readonly { day: string; index: number; smoothed: number }[]): string {
  if (days.length === 0) return '<p class="muted">No days in the period.</p>';
  const W = 640;
  const H = 160;
  const max = Math.max(1, ...days.map((d) => d.index));
  const step = W / Math.max(1, days.length);
  const bars = days
    .map(
      (d, i) =>
        `<rect x="${(i * step).toFixed(1)}" y="${(H - (d.index / max) * H).toFixed(1)}" width="${Math.max(1, step - 1).toFixed(1)}" height="${((d.index / max) * H).toFixed(1)}"><title>${d.day}: ${d.index.toFixed(1)}</title></rect>`,
    )
    .join('');
  const line = days
    .map((d, i) => `${(i * step + step / 2).toFixed(1)},${(H - (d.smoothed / max) * H).toFixed(1)}`)
    .join(' ');
  return `<svg viewBox="0 0 ${W} ${H + 16}" class="chart" role="img" aria-label="Daily escalation index"><g class="bars">${bars}</g><polyline points="${line}"/><text x="0" y="${H + 14}">${escapeHtml(days[0]!.day)}</text><text x="${W}" y="${H + 14}" text-anchor="end">${escapeHtml(days.at(-1)!.day)}</text></svg>`;
}

const range = (g: Group) => `${g.low ?? '–'} / ${g.best ?? '–'} / ${g.high ?? '–'}`;

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="muted">None in the period.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export type SituationReport = { html: string; tlp: Tlp; incidents: number };

export async function situationReport(
  db: Db,
  viewer: Viewer,
  period: { from: string; to: string; title?: string },
): Promise<SituationReport> {
  const { from, to } = period;
  const incidents = await periodIncidents(db, viewer, from, to);
  const total = await countIncidents(db, viewer, { from, to });
  const killed = incidents.reduce((sum, i) => sum + i.fatalities_best, 0);
  const byType = new Map<string, number>();
  for (const i of incidents) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
  const [escalation, register, board, acted] = await Promise.all([
    escalationReport(db, viewer, { from, to }),
    violations(db, viewer, { from, to }),
    crossingsBoard(db, `${to}T23:59:59.999Z`),
    actionRecord(db, viewer, { from, to }),
  ]);
  let forecast: Awaited<ReturnType<typeof forecastReport>> | null = null;
  try {
    forecast = await forecastReport(db, viewer, { to });
  } catch {
    forecast = null;
  }
  const tlp = reportLevel(incidents.map((i) => i.tlp));
  const notable = [...incidents]
    .sort(
      (a, b) =>
        b.fatalities_best - a.fatalities_best || (b.figures_disputed ? 1 : 0) - (a.figures_disputed ? 1 : 0),
    )
    .slice(0, 10);
  const mark = `<span class="tlp tlp-${tlp.replace('+', '-').toLowerCase()}">TLP:${tlp}</span>`;
  const title = period.title ?? `Situation report ${from} – ${to}`;
  const sections = [
    `<section><h2>Headline</h2><div class="figures"><div><b>${total}</b> incidents</div><div><b>${killed}</b> killed (best estimates)</div><div><b>${register.register.reduce((s, r) => s + r.count, 0)}</b> attributed violations</div><div><b>${register.candidates.filter((c) => !c.attribution).length}</b> candidate violations awaiting a decision</div></div>${table(
      ['type', 'incidents'],
      [...byType].sort((a, b) => b[1] - a[1]),
    )}</section>`,
    `<section><h2>Map</h2>${mapSvg(incidents)}</section>`,
    `<section><h2>Escalation</h2><p class="muted">Daily index (bars) and its 7-day mean (line); weights in docs/early-warning.md.</p>${chartSvg(escalation.days)}</section>`,
    `<section><h2>Crossings as of ${escapeHtml(to)}</h2>${table(
      ['crossing', 'status', 'since', 'days closed', 'stranded', 'trucks queued', 'neutral observer'],
      board.map((b) => [
        b.crossing.name,
        b.current?.status ?? 'unknown',
        b.current?.since.slice(0, 10) ?? '',
        b.daysClosed,
        b.current?.stranded ?? '',
        b.current?.trucks_queued ?? '',
        b.current?.observer_present === null || !b.current ? '' : b.current.observer_present ? 'yes' : 'no',
      ]),
    )}</section>`,
    `<section><h2>Violations register</h2>${table(
      ['party', 'ISO week', 'attributed violations', 'incidents'],
      register.register.map((r) => [r.partyId, r.week, r.count, r.incidentIds.join(' ')]),
    )}<h3>Awaiting attribution</h3>${table(
      ['incident', 'date', 'agreement', 'party', 'in force'],
      register.candidates
        .filter((c) => !c.attribution)
        .map((c) => [c.incident.title, c.incident.occurred_on, c.agreementName, c.partyId, c.inForce]),
    )}</section>`,
    `<section><h2>Notable incidents and their contested figures</h2>${
      notable
        .map((i) => {
          const groups = ((i.fatalities as { groups?: Group[] }).groups ?? []).map(
            (g) =>
              `<li>${escapeHtml(g.category)} (${escapeHtml(g.side ?? 'no party')}): <b>${escapeHtml(range(g))}</b> <span class="muted">— ${escapeHtml(g.rule)}</span></li>`,
          );
          return `<article><h3>${escapeHtml(i.occurred_on)} · ${escapeHtml(i.title)}</h3><p class="muted">${escapeHtml(i.type)} · ${escapeHtml([i.admin2, i.admin1, i.country].filter(Boolean).join(', '))} · ${escapeHtml(i.status)}${i.figures_disputed ? ' · figures disputed' : ''}</p><ul>${groups.join('') || '<li class="muted">No casualty figures claimed.</li>'}</ul></article>`;
        })
        .join('') || '<p class="muted">None in the period.</p>'
    }</section>`,
    `<section><h2>Forecast, next 7 days</h2>${
      forecast
        ? `<p>Hawkes model: half-life ${escapeHtml(forecast.params.halfLifeDays)} days, branching ratio ${escapeHtml(forecast.params.branchingRatio)}.</p>${table(
            ['side', 'expected incidents', '80% interval', '95% interval'],
            Object.entries(forecast.forecast.sides).map(([side, s]) => [
              side,
              s.total.mean,
              `${s.total.p80[0]}–${s.total.p80[1]}`,
              `${s.total.p95[0]}–${s.total.p95[1]}`,
            ]),
          )}${forecast.caveats.map((c) => `<p class="muted">${escapeHtml(c)}</p>`).join('')}`
        : '<p class="muted">Not enough incidents to fit the model.</p>'
    }</section>`,
    `<section><h2>Demonstrable action (requests forwarded in the period)</h2>${table(
      [
        'party',
        'requests',
        'answered',
        'on time',
        'actions claimed',
        'verified',
        'partly verified',
        'overdue',
        'median hours',
      ],
      acted.map((a) => [
        a.partyId,
        a.requestsReceived,
        a.answered,
        a.answeredOnTime,
        a.actionsClaimed,
        a.actionsVerified,
        a.actionsPartlyVerified,
        a.overdue,
        a.medianResponseHours ?? '',
      ]),
    )}</section>`,
  ];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><header class="page-mark">${mark}<span>${escapeHtml(title)}</span></header><footer class="page-mark">${mark}<span>Generated ${escapeHtml(new Date().toISOString())} · Truce</span></footer><main><h1>${escapeHtml(title)}</h1><p class="muted">Shared as ${mark}: the most restrictive level of the records it summarises, as the reader was allowed to see them.</p>${sections.join('')}</main></body></html>`;
  return { html, tlp, incidents: total };
}

/** Fixed header and footer repeat on every printed page in Chromium, so each page carries the TLP mark. */
const STYLE = `
@page { size: A4; margin: 18mm 14mm; }
body { font: 10.5pt/1.45 system-ui, "Noto Sans", "DejaVu Sans", sans-serif; color: #1d2330; margin: 0; }
main { padding: 28px 0; }
h1 { font-size: 18pt; margin: 0 0 4px; } h2 { font-size: 13pt; border-bottom: 1px solid #c9cfdb; padding-bottom: 3px; margin-top: 22px; }
h3 { font-size: 10.5pt; margin: 10px 0 2px; } .muted { color: #5b6475; }
.page-mark { position: fixed; left: 0; right: 0; display: flex; gap: 12px; align-items: center; font-size: 8.5pt; color: #5b6475; background: #fff; }
header.page-mark { top: 0; } footer.page-mark { bottom: 0; }
.tlp { font: bold 8.5pt monospace; background: #000; padding: 1px 5px; }
.tlp-clear { color: #fff; } .tlp-green { color: #33ff00; } .tlp-amber, .tlp-amber-strict { color: #ffc000; } .tlp-red { color: #ff2b2b; }
.figures { display: flex; gap: 24px; flex-wrap: wrap; margin: 6px 0 10px; } .figures b { font-size: 15pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } th, td { text-align: left; border-bottom: 1px solid #e3e7ee; padding: 3px 6px; } th { background: #f3f5f9; }
article { break-inside: avoid; } section { break-inside: auto; }
svg.map { width: 100%; max-height: 360px; background: #f6f8fb; } .admin path { fill: #e8ecf2; stroke: #9aa5b8; stroke-width: 0.6; }
circle { fill-opacity: 0.75; stroke: #fff; stroke-width: 0.6; fill: #6b7280; }
.t-airstrike { fill: #d55e00; } .t-drone_strike { fill: #cc79a7; } .t-shelling { fill: #e69f00; } .t-armed_clash { fill: #0072b2; } .t-militant_attack { fill: #222; } .t-crossing_closure { fill: #56b4e9; } .t-crossing_reopening { fill: #009e73; }
svg.chart { width: 100%; } .bars rect { fill: #9bb3d6; } polyline { fill: none; stroke: #b3261e; stroke-width: 2; } svg text { font-size: 10px; fill: #5b6475; }
`;
