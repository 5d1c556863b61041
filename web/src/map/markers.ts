/** Builds map markers as DOM buttons (no inline HTML strings): clusters as type donuts, single incidents as dots. */
import type { Cluster, Crossing } from '../api/types.ts';
import { formatCount, formatDay } from '../app/format.ts';
import { INCIDENT_TYPES, STATUS_LABEL, type Status, typeStyle } from '../domain/vocabulary.ts';

const SVG = 'http://www.w3.org/2000/svg';

function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** Diameter of a cluster: grows with the log of its count, so 10 and 10,000 both stay readable. */
export function clusterSize(count: number): number {
  return Math.round(Math.min(64, 26 + 9 * Math.log10(count)));
}

/** Diameter of a single incident: area grows with the best fatalities estimate. */
export function incidentSize(best: number): number {
  return Math.round(Math.min(42, 11 + 3.2 * Math.sqrt(best)));
}

function arc(cx: number, cy: number, r: number, r0: number, start: number, end: number): string {
  const point = (radius: number, angle: number) =>
    `${(cx + radius * Math.sin(angle)).toFixed(2)} ${(cy - radius * Math.cos(angle)).toFixed(2)}`;
  const large = end - start > Math.PI ? 1 : 0;
  return [
    `M ${point(r, start)}`,
    `A ${r} ${r} 0 ${large} 1 ${point(r, end)}`,
    `L ${point(r0, end)}`,
    `A ${r0} ${r0} 0 ${large} 0 ${point(r0, start)}`,
    'Z',
  ].join(' ');
}

function describeTypes(types: Record<string, number>): string {
  return INCIDENT_TYPES.filter((t) => types[t])
    .map((t) => `${types[t]} ${typeStyle(t).label.toLowerCase()}`)
    .join(', ');
}

export function clusterElement(cluster: Cluster): HTMLButtonElement {
  const size = clusterSize(cluster.count);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'marker marker-cluster';
  button.style.width = `${size}px`;
  button.style.height = `${size}px`;
  const label = `${formatCount(cluster.count)} incidents: ${describeTypes(cluster.types)}; ${formatCount(cluster.best)} killed (best estimate). Zoom in.`;
  button.setAttribute('aria-label', label);
  button.title = label;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  const r = size / 2;
  const ring = Math.max(4, size * 0.16);
  const background = document.createElementNS(SVG, 'circle');
  background.setAttribute('cx', String(r));
  background.setAttribute('cy', String(r));
  background.setAttribute('r', String(r - 0.5));
  background.setAttribute('class', 'marker-cluster-face');
  svg.appendChild(background);
  let angle = 0;
  const present = INCIDENT_TYPES.filter((t) => cluster.types[t]);
  if (present.length === 1) {
    // One type: a whole ring (an arc cannot start and end at the same point).
    const whole = document.createElementNS(SVG, 'circle');
    whole.setAttribute('cx', String(r));
    whole.setAttribute('cy', String(r));
    whole.setAttribute('r', String(r - 1 - ring / 2));
    whole.setAttribute('fill', 'none');
    whole.setAttribute('stroke', typeStyle(present[0]!).color);
    whole.setAttribute('stroke-width', String(ring));
    svg.appendChild(whole);
  } else
    for (const type of present) {
      const end = angle + ((cluster.types[type] ?? 0) / cluster.count) * Math.PI * 2;
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', arc(r, r, r - 1, r - 1 - ring, angle, end));
      path.setAttribute('fill', typeStyle(type).color);
      svg.appendChild(path);
      angle = end;
    }
  button.appendChild(svg);
  const count = document.createElement('span');
  count.className = 'marker-count';
  count.textContent = compact(cluster.count);
  button.appendChild(count);
  return button;
}

export function incidentElement(cluster: Cluster, selected: boolean): HTMLButtonElement {
  const incident = cluster.incident!;
  const size = incidentSize(incident.best);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `marker marker-incident status-${incident.status}${selected ? ' is-selected' : ''}`;
  button.dataset.incident = incident.id;
  button.style.width = `${size}px`;
  button.style.height = `${size}px`;
  button.style.setProperty('--type-color', typeStyle(incident.type).color);
  const label = `${typeStyle(incident.type).label}, ${formatDay(incident.occurredOn)}: ${incident.title}. ${
    STATUS_LABEL[incident.status as Status] ?? incident.status
  }; ${formatCount(incident.best)} killed (best estimate).`;
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-pressed', selected ? 'true' : 'false');
  button.title = label;
  return button;
}

const CROSSING_STATUS: Record<string, string> = { open: 'Open', restricted: 'Restricted', closed: 'Closed' };

export function crossingElement(crossing: Crossing, onOpen: () => void): HTMLElement {
  const wrap = document.createElement('div');
  const status = crossing.current?.status ?? 'unknown';
  wrap.className = `crossing-marker crossing-${status}`;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'crossing-dot';
  const since = crossing.current ? ` since ${formatDay(crossing.current.since.slice(0, 10))}` : '';
  const label = `${crossing.name} crossing: ${CROSSING_STATUS[status] ?? 'no status reported'}${since}`;
  button.setAttribute('aria-label', label);
  button.title = label;
  button.addEventListener('click', onOpen);
  const name = document.createElement('span');
  name.className = 'crossing-name';
  name.textContent = crossing.name;
  name.setAttribute('aria-hidden', 'true');
  wrap.append(button, name);
  return wrap;
}

export function countryLabel(name: string, party: boolean): HTMLElement {
  const label = document.createElement('span');
  label.className = party ? 'country-label country-label-party' : 'country-label';
  label.textContent = name;
  label.setAttribute('aria-hidden', 'true');
  return label;
}
