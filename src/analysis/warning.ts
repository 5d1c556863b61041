/** Early warning as the API and CLI serve it: escalation index, retaliation chains and the Hawkes forecast, each read through the viewer. */
import type { Kysely } from 'kysely';
import type { Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import { DEFAULT_CHAIN_OPTIONS, inferChains } from './chains.ts';
import { loadIncidents, loadLinks, loadSides, loadWording, requireSides } from './data.ts';
import { escalationIndex, SEVERITY, SMOOTHING_DAYS, WEIGHTS } from './escalation.ts';
import { forecastCounts, type Summary } from './forecast.ts';
import { branchingRatio, excitationState, fitHawkes, halfLife } from './hawkes.ts';
import { isCounted, VIOLENT_TYPES, type WarningIncident } from './incident.ts';
import { DAY_RESOLUTION_MIN_HALF_LIFE, dailyEvents, dayIndex, dayString } from './timeline.ts';

type Db = Kysely<Database>;

export type Period = { from?: string | undefined; to?: string | undefined };

/** Default period: the 90 days up to today (UTC). */
function period(input: Period, today = new Date().toISOString().slice(0, 10)) {
  for (const field of ['from', 'to'] as const) checkDay(input[field], field);
  const to = input.to ?? today;
  const from = input.from ?? dayString(dayIndex(to) - 89);
  if (dayIndex(from) > dayIndex(to))
    throw new TruceError('invalid_input', 'from: is after to', { field: 'from' });
  return { from, to };
}

function checkDay(day: string | undefined, field: string): void {
  if (day !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && dayString(dayIndex(day)) === day))
    throw new TruceError('invalid_input', `${field}: must be a day, YYYY-MM-DD`, { field });
}

const shift = (day: string, by: number) => dayString(dayIndex(day) + by);

export async function escalationReport(db: Db, viewer: Viewer, input: Period = {}) {
  const { from, to } = period(input);
  const sides = await loadSides(db);
  // The smoothed value on `from` needs the six days before it.
  const lead = { from: shift(from, -(SMOOTHING_DAYS - 1)), to };
  const [incidents, links] = await Promise.all([
    loadIncidents(db, viewer, sides, lead),
    loadLinks(db, viewer, lead),
  ]);
  return {
    from,
    to,
    sides,
    weights: { severity: SEVERITY, ...WEIGHTS, smoothingDays: SMOOTHING_DAYS },
    days: escalationIndex(incidents, links, sides, from, to),
  };
}

function summary(incident: WarningIncident | undefined) {
  return incident
    ? {
        id: incident.id,
        day: incident.day,
        type: incident.type,
        title: incident.title,
        actorId: incident.actorId,
        side: incident.side,
      }
    : null;
}

export type ChainQuery = Period & { maxDays?: number | undefined; maxKm?: number | undefined };

/** Links on the record whose answering incident is in the period, and inferred candidates, best first. */
export async function chainsReport(db: Db, viewer: Viewer, input: ChainQuery = {}) {
  const { from, to } = period(input);
  const maxDays = input.maxDays ?? DEFAULT_CHAIN_OPTIONS.maxDays;
  const maxKm = input.maxKm ?? DEFAULT_CHAIN_OPTIONS.maxKm;
  const sides = await loadSides(db);
  const reach = { from: shift(from, -maxDays), to };
  const [incidents, links] = await Promise.all([
    loadIncidents(db, viewer, sides, reach),
    loadLinks(db, viewer, reach),
  ]);
  const inPeriod = incidents.filter((i) => i.day >= from);
  const wording = await loadWording(
    db,
    viewer,
    inPeriod.map((i) => i.id),
  );
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const inferred = inferChains(incidents, links, wording, { maxDays, maxKm }).filter(
    (link) => (byId.get(link.incidentId)?.day ?? '') >= from,
  );
  return {
    from,
    to,
    sides,
    options: { maxDays, maxKm },
    explicit: links
      .filter((l) => (byId.get(l.incidentId)?.day ?? '') >= from)
      .map((l) => ({
        ...l,
        incident: summary(byId.get(l.incidentId)),
        answers: summary(byId.get(l.answersId)),
      })),
    inferred: inferred.map((l) => ({
      ...l,
      incident: summary(byId.get(l.incidentId)),
      answers: summary(byId.get(l.answersId)),
    })),
  };
}

export type ForecastQuery = Period & { days?: number; paths?: number; seed?: number };

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const bySide = <T>(sides: readonly string[], values: readonly T[]) =>
  Object.fromEntries(sides.map((s, i) => [s, values[i]!])) as Record<string, T>;

/** The incidents the Hawkes model counts: violent, by a side's forces, not refuted. */
export function modelled(incidents: readonly WarningIncident[]): WarningIncident[] {
  return incidents.filter((i) => isCounted(i) && i.side !== null && VIOLENT_TYPES.includes(i.type));
}

/** As day-dated events, k = the side's index in `sides`. */
export function modelEvents(incidents: readonly WarningIncident[], sides: readonly string[]) {
  return modelled(incidents).map((i) => ({ day: dayIndex(i.day), k: sides.indexOf(i.side!) }));
}

/**
 * Fits the Hawkes model to the violent incidents each side's forces committed in the period the
 * viewer may see (from the first such incident, to `to` or today), and forecasts the `days` after.
 */
export async function forecastReport(db: Db, viewer: Viewer, input: ForecastQuery = {}) {
  checkDay(input.from, 'from');
  checkDay(input.to, 'to');
  const sides = await requireSides(db);
  const to = input.to ?? new Date().toISOString().slice(0, 10);
  const days = input.days ?? 7;
  const paths = input.paths ?? 1000;
  const seed = input.seed ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new TruceError('invalid_input', 'days: must be an integer from 1 to 366', { field: 'days' });
  if (!Number.isInteger(paths) || paths < 1 || paths > 100_000)
    throw new TruceError('invalid_input', 'paths: must be an integer from 1 to 100000', { field: 'paths' });
  const incidents = modelled(await loadIncidents(db, viewer, sides, { from: input.from, to }));
  if (incidents.length === 0)
    throw new TruceError('conflict', 'no violent incident by either side in the period: nothing to fit');
  const first = input.from ? dayIndex(input.from) : dayIndex(incidents[0]!.day);
  const last = dayIndex(to);
  const events = modelEvents(incidents, sides);
  const series = dailyEvents(events, sides.length, first, last, seed);
  const fit = fitHawkes(series, { maxBeta: Math.LN2 / DAY_RESOLUTION_MIN_HALF_LIFE });
  const { params } = fit;
  const rho = branchingRatio(params.alpha);
  const state = excitationState(series, params.beta, last + 1);
  const forecast = forecastCounts(params, { state, days, paths, seed });
  const n = fit.attribution.counts;
  const caveats: string[] = [
    'Incidents are dated to the day; each is placed at a seeded random time within its day, and the half-life is not allowed below one day.',
  ];
  if (incidents.length < 200)
    caveats.push(
      `Only ${incidents.length} incidents: the parameters are poorly determined; read the forecast as illustrative.`,
    );
  if (rho >= 1)
    caveats.push(
      'Branching ratio ≥ 1: the fitted process is explosive and the forecast intervals are unbounded in principle.',
    );
  if (params.beta >= Math.LN2 / DAY_RESOLUTION_MIN_HALF_LIFE - 1e-9)
    caveats.push(
      'The half-life sits at its one-day bound: the response is faster than the data can resolve.',
    );
  if (forecast.truncatedPaths > 0) caveats.push(`${forecast.truncatedPaths} simulated paths were cut off.`);
  const present = (s: Summary) => ({ ...s, mean: round(s.mean, 3), pAtLeastOne: round(s.pAtLeastOne, 3) });
  return {
    sides,
    window: {
      from: dayString(first),
      to: dayString(last),
      incidents: bySide(sides, n),
      types: VIOLENT_TYPES,
    },
    model: {
      kind: 'bivariate Hawkes process, exponential kernel with one decay shared by all pairs',
      fit: 'maximum likelihood by EM (Veen & Schoenberg 2008), O(n) recursion',
      alphaReads: 'alpha[i][j] = expected incidents by side i directly triggered by one incident of side j',
    },
    params: {
      mu: bySide(
        sides,
        params.mu.map((x) => round(x)),
      ),
      alpha: bySide(
        sides,
        params.alpha.map((row) =>
          bySide(
            sides,
            row.map((x) => round(x)),
          ),
        ),
      ),
      beta: round(params.beta),
      halfLifeDays: round(halfLife(params.beta), 2),
      branchingRatio: round(rho),
      logLik: round(fit.logLik, 3),
      iterations: fit.iterations,
      converged: fit.converged,
    },
    /** Share of each side's incidents the fit attributes to background, to its own side, and to each other side. */
    answers: bySide(
      sides,
      sides.map((_, i) => ({
        background: n[i]! > 0 ? round(fit.attribution.background[i]! / n[i]!, 3) : null,
        triggeredBy: bySide(
          sides,
          fit.attribution.triggered[i]!.map((m) => (n[i]! > 0 ? round(m / n[i]!, 3) : null)),
        ),
      })),
    ),
    forecast: {
      origin: dayString(last + 1),
      paths,
      seed,
      sides: bySide(
        sides,
        forecast.sides.map((side) => ({
          days: side.days.map((d) => ({ date: dayString(last + d.day), ...present(d) })),
          total: present(side.total),
        })),
      ),
    },
    caveats,
  };
}
