/**
 * The multivariate Hawkes process with one shared exponential kernel: O(n) intensity recursion,
 * exact log-likelihood, and the EM fit that says how much of each side's violence answers whose.
 *
 * Model (time in days, d dimensions — the two belligerent sides, or one):
 *
 *   λ_i(t) = μ_i + Σ_j α_ij · Σ_{t_l^j < t} β e^{-β (t - t_l^j)}
 *
 * α_ij is the expected number of side-i events directly triggered by ONE side-j event (row = the
 * side that answers, column = the side answered), because the kernel β e^{-βs} integrates to 1.
 * So α is the branching matrix, its spectral radius the branching ratio, and ln 2 / β the
 * half-life of a retaliation impulse. β is SHARED by every pair: with a few hundred events per
 * side a per-pair decay is poorly identified (and EM for it converges slowly), while one
 * response time-scale is what the question "how fast does retaliation fade" asks for.
 */

export type HawkesParams = {
  /** Background (immigrant) rate of each dimension, events per day. */
  mu: number[];
  /** alpha[i][j]: expected side-i events triggered by one side-j event. */
  alpha: number[][];
  /** Kernel decay per day; shared by every pair. */
  beta: number;
};

export type EventSeries = {
  /** Event times in days, ascending. */
  times: Float64Array;
  /** Each event's dimension, 0 … dims-1. */
  marks: Uint8Array;
  dims: number;
  /** The observation window [start, end]: the likelihood's compensator runs over it. */
  start: number;
  end: number;
};

/** Builds a validated, time-sorted series; events outside [start, end] are an error, not dropped. */
export function eventSeries(
  events: readonly { t: number; k: number }[],
  dims: number,
  start: number,
  end: number,
): EventSeries {
  if (!(end > start)) throw new RangeError('the window must have end > start');
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const times = new Float64Array(sorted.length);
  const marks = new Uint8Array(sorted.length);
  sorted.forEach((event, n) => {
    if (!(event.t >= start && event.t <= end)) throw new RangeError(`event at ${event.t} outside the window`);
    if (!Number.isInteger(event.k) || event.k < 0 || event.k >= dims)
      throw new RangeError(`event mark ${event.k} is not a dimension`);
    times[n] = event.t;
    marks[n] = event.k;
  });
  return { times, marks, dims, start, end };
}

/**
 * λ_{k_n}(t_n) for every event, by the recursion of Ogata (1981) for exponential kernels:
 * S_j(t) = Σ_{t_l^j < t} e^{-β(t - t_l)} decays by e^{-βΔ} between events and gains 1 at each
 * j-event, so the whole pass is O(n·d) instead of the O(n²) double sum. Events at the same
 * instant do not excite one another (cause strictly precedes effect): they are added to S only
 * once time has moved on.
 */
export function intensityAtEvents(series: EventSeries, params: HawkesParams): Float64Array {
  const { times, marks, dims } = series;
  const out = new Float64Array(times.length);
  const s0 = new Float64Array(dims);
  const pending = new Float64Array(dims);
  let current = series.start;
  for (let n = 0; n < times.length; n++) {
    const t = times[n]!;
    const i = marks[n]!;
    if (t > current) {
      const decay = Math.exp(-params.beta * (t - current));
      for (let j = 0; j < dims; j++) {
        s0[j] = (s0[j]! + pending[j]!) * decay;
        pending[j] = 0;
      }
      current = t;
    }
    let lambda = params.mu[i]!;
    const row = params.alpha[i]!;
    for (let j = 0; j < dims; j++) lambda += row[j]! * params.beta * s0[j]!;
    out[n] = lambda;
    pending[i]! += 1;
  }
  return out;
}

/** The same intensities by the O(n²) definition; only for tests, as the reference the recursion must equal. */
export function intensityAtEventsNaive(series: EventSeries, params: HawkesParams): Float64Array {
  const { times, marks } = series;
  const out = new Float64Array(times.length);
  for (let n = 0; n < times.length; n++) {
    const i = marks[n]!;
    let lambda = params.mu[i]!;
    for (let l = 0; l < times.length; l++) {
      const lag = times[n]! - times[l]!;
      if (lag > 0) lambda += params.alpha[i]![marks[l]!]! * params.beta * Math.exp(-params.beta * lag);
    }
    out[n] = lambda;
  }
  return out;
}

/** S_j(at) = Σ_{t_l^j < at} e^{-β(at - t_l)}: what the history leaves behind at `at`, per dimension. */
export function excitationState(series: EventSeries, beta: number, at: number): Float64Array {
  const state = new Float64Array(series.dims);
  for (let n = 0; n < series.times.length; n++) {
    const lag = at - series.times[n]!;
    if (lag > 0) state[series.marks[n]!]! += Math.exp(-beta * lag);
  }
  return state;
}

/** λ_i just after `at`, given the state there (no new events). */
export function intensityFromState(params: HawkesParams, state: ArrayLike<number>): number[] {
  return params.mu.map((mu, i) => {
    let lambda = mu;
    for (let j = 0; j < params.mu.length; j++) lambda += params.alpha[i]![j]! * params.beta * state[j]!;
    return lambda;
  });
}

/**
 * Exact log-likelihood on [start, end]:  Σ_n log λ_{k_n}(t_n) − Σ_i ∫ λ_i, where the integral is
 * μ_i (end − start) + Σ_j α_ij Σ_{l ∈ j} (1 − e^{-β(end − t_l)}).
 */
export function logLikelihood(series: EventSeries, params: HawkesParams): number {
  const lambdas = intensityAtEvents(series, params);
  let total = 0;
  for (const lambda of lambdas) total += Math.log(lambda);
  return total - compensator(series, params);
}

function compensator(series: EventSeries, params: HawkesParams): number {
  const reach = kernelMass(series, params.beta);
  let total = 0;
  for (let i = 0; i < series.dims; i++) {
    total += params.mu[i]! * (series.end - series.start);
    for (let j = 0; j < series.dims; j++) total += params.alpha[i]![j]! * reach[j]!;
  }
  return total;
}

/** Events per dimension. */
export function countsOf(series: EventSeries): Float64Array {
  const counts = new Float64Array(series.dims);
  for (const k of series.marks) counts[k]! += 1;
  return counts;
}

/**
 * reach_j = Σ_{l∈j} (1 − e^{-β(end − t_l)}), how much of each j-event's kernel falls inside the
 * window, and slope_j = Σ_{l∈j} (end − t_l) e^{-β(end − t_l)}, its derivative in β. Only the last
 * few half-lives matter, so the sum walks back from the end and stops once e^{-β(end − t)} < e^{-40}.
 */
function edgeSums(series: EventSeries, beta: number, counts: Float64Array) {
  const reach = Float64Array.from(counts);
  const slope = new Float64Array(series.dims);
  for (let n = series.times.length - 1; n >= 0; n--) {
    const remaining = series.end - series.times[n]!;
    if (beta * remaining > 40) break;
    const tail = Math.exp(-beta * remaining);
    reach[series.marks[n]!]! -= tail;
    slope[series.marks[n]!]! += remaining * tail;
  }
  return { reach, slope };
}

function kernelMass(series: EventSeries, beta: number): Float64Array {
  return edgeSums(series, beta, countsOf(series)).reach;
}

export type FitOptions = {
  /** Starting point; default μ = half the mean rate, α = 0.2 everywhere, β = ln 2 / 2 days. */
  init?: HawkesParams;
  maxIterations?: number;
  /** Stop when the log-likelihood gains less than tolerance × (1 + |ℓ|) in one iteration. */
  tolerance?: number;
  /**
   * Bounds on β. With day-dated events placed at random within their day, an unbounded fit reads
   * "these happened on the same day" as retaliation within hours; a half-life shorter than the
   * data's resolution is not something the data can show, so callers bound it (see dailyEvents).
   */
  minBeta?: number;
  maxBeta?: number;
};

export type Attribution = {
  /** Expected number of each dimension's events that were background (immigrants). */
  background: number[];
  /** triggered[i][j]: expected number of i-events whose parent was a j-event. */
  triggered: number[][];
  counts: number[];
};

export type HawkesFit = {
  params: HawkesParams;
  logLik: number;
  iterations: number;
  converged: boolean;
  /** The log-likelihood at the start and after each iteration; it never falls. */
  trace: number[];
  attribution: Attribution;
};

type EStep = {
  logLik: number;
  attribution: Attribution;
  /** Σ over (child, parent) pairs of p × (t_child − t_parent), for the β update. */
  lagMass: number;
};

/**
 * One E-step in O(n·d²): the branching-structure probabilities of Veen & Schoenberg (2008) —
 * p(background) = μ_i / λ_i(t_n), p(parent in j) = α_ij β S_j / λ_i(t_n) — summed over parents
 * with the recursion, as in Lewis & Mohler (2011), never enumerating pairs. S1_j = Σ (t − t_l)
 * e^{-β(t − t_l)} rides along (S1 ← e^{-βΔ}(S1 + Δ S0)) to give the expected parent–child lags.
 */
function expectation(series: EventSeries, params: HawkesParams): EStep {
  const { times, marks, dims } = series;
  const { mu, alpha, beta } = params;
  const s0 = new Float64Array(dims);
  const s1 = new Float64Array(dims);
  const pending = new Float64Array(dims);
  const background = new Array<number>(dims).fill(0);
  const counts = new Array<number>(dims).fill(0);
  const triggered = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
  let sumLog = 0;
  let lagMass = 0;
  let current = series.start;
  for (let n = 0; n < times.length; n++) {
    const t = times[n]!;
    const i = marks[n]!;
    if (t > current) {
      const dt = t - current;
      const decay = Math.exp(-beta * dt);
      for (let j = 0; j < dims; j++) {
        const settled = s0[j]! + pending[j]!;
        s1[j] = decay * (s1[j]! + dt * settled);
        s0[j] = decay * settled;
        pending[j] = 0;
      }
      current = t;
    }
    const row = alpha[i]!;
    let lambda = mu[i]!;
    for (let j = 0; j < dims; j++) lambda += row[j]! * beta * s0[j]!;
    sumLog += Math.log(lambda);
    background[i]! += mu[i]! / lambda;
    const out = triggered[i]!;
    for (let j = 0; j < dims; j++) {
      const w = (row[j]! * beta) / lambda;
      out[j]! += w * s0[j]!;
      lagMass += w * s1[j]!;
    }
    counts[i]! += 1;
    pending[i]! += 1;
  }
  return {
    logLik: sumLog - compensator(series, params),
    attribution: { background, triggered, counts },
    lagMass,
  };
}

/** Expected background/triggered counts at given parameters (the E-step alone). */
export function attribute(series: EventSeries, params: HawkesParams): Attribution {
  return expectation(series, params).attribution;
}

/**
 * Maximum likelihood by EM (Veen & Schoenberg 2008; Lewis & Mohler 2011), O(n·d²) per iteration:
 *   μ_i  ← E[background i-events] / (end − start)
 *   β    ← the maximiser of the expected complete-data likelihood (updateBeta)
 *   α_ij ← E[i-children of j-parents] / Σ_{l ∈ j} (1 − e^{-β(end − t_l)})
 * Both papers drop the window-edge term from the β update (β = E[pairs] / E[Σ lags]); keeping it
 * costs a walk over the last few half-lives of events and makes each M-step exact, so the
 * likelihood never falls (without it, it drifts down near the optimum). EM rather than a gradient
 * method because every update is closed-form, keeps parameters positive without a transform,
 * and needs no step size.
 */
export function fitHawkes(series: EventSeries, options: FitOptions = {}): HawkesFit {
  const dims = series.dims;
  const span = series.end - series.start;
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-9;
  const minBeta = options.minBeta ?? 1e-6;
  const maxBeta = options.maxBeta ?? 1e6;
  const seriesCounts = countsOf(series);
  let params: HawkesParams = options.init
    ? cloneParams(options.init)
    : {
        mu: [...seriesCounts].map((c) => Math.max(c, 0.5) / span / 2),
        alpha: Array.from({ length: dims }, () => new Array<number>(dims).fill(0.2)),
        beta: Math.LN2 / 2,
      };
  params.beta = Math.min(maxBeta, Math.max(minBeta, params.beta));
  const trace: number[] = [];
  let converged = false;
  let step = expectation(series, params);
  let iterations = 0;
  while (iterations < maxIterations) {
    trace.push(step.logLik);
    const pairs = step.attribution.triggered.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
    const beta =
      pairs > 0 && step.lagMass > 0
        ? updateBeta(series, seriesCounts, step, pairs, params.beta, minBeta, maxBeta)
        : params.beta;
    const { reach } = edgeSums(series, beta, seriesCounts);
    params = {
      mu: step.attribution.background.map((b) => b / span),
      alpha: step.attribution.triggered.map((row) => row.map((m, j) => (reach[j]! > 0 ? m / reach[j]! : 0))),
      beta,
    };
    iterations += 1;
    const next = expectation(series, params);
    const gain = next.logLik - step.logLik;
    step = next;
    if (Math.abs(gain) <= tolerance * (1 + Math.abs(next.logLik))) {
      converged = true;
      break;
    }
  }
  trace.push(step.logLik);
  return { params, logLik: step.logLik, iterations, converged, trace, attribution: step.attribution };
}

/**
 * The β M-step. With α profiled out (α_ij = T_ij / R_j(β)), the expected complete-data
 * log-likelihood in β is  P log β − β L − Σ_j C_j log R_j(β),  P = expected parent–child pairs,
 * L = their expected total lag, C_j = expected children of j-parents, R_j(β) = Σ_{l∈j}(1 − e^{-β(end − t_l)}).
 * Its stationary point β = P / (L + Σ_j C_j R'_j/R_j) is found by fixed-point iteration from the
 * edge-free estimate P/L. Keeping the edge term makes this an exact M-step, so the likelihood
 * never falls between iterations (dropping it, as is common, lets it drift down near the optimum).
 */
function updateBeta(
  series: EventSeries,
  counts: Float64Array,
  step: EStep,
  pairs: number,
  previous: number,
  minBeta: number,
  maxBeta: number,
): number {
  const clamp = (b: number) => Math.min(maxBeta, Math.max(minBeta, b));
  const children = new Float64Array(series.dims);
  for (const row of step.attribution.triggered) for (let j = 0; j < row.length; j++) children[j]! += row[j]!;
  let beta = clamp(pairs / step.lagMass);
  for (let iteration = 0; iteration < 50; iteration++) {
    const { reach, slope } = edgeSums(series, beta, counts);
    let edge = 0;
    for (let j = 0; j < series.dims; j++) if (reach[j]! > 0) edge += (children[j]! * slope[j]!) / reach[j]!;
    const next = clamp(pairs / (step.lagMass + edge));
    if (Math.abs(next - beta) <= 1e-12 * beta) return next;
    beta = next;
  }
  return Number.isFinite(beta) ? beta : previous;
}

export function cloneParams(params: HawkesParams): HawkesParams {
  return { mu: [...params.mu], alpha: params.alpha.map((row) => [...row]), beta: params.beta };
}

/**
 * Spectral radius of α: the expected number of events one event sets off directly, in the
 * long run over both sides. Below 1 the process is stationary; the mean cluster size is 1/(1 − ρ).
 * Computed as the Perron root of α + I by power iteration (the shift makes any non-negative
 * matrix aperiodic, so the iteration converges even for α = [[0, a], [b, 0]]).
 */
export function branchingRatio(alpha: readonly (readonly number[])[]): number {
  const d = alpha.length;
  if (d === 1) return alpha[0]![0]!;
  if (d === 2) {
    const [[a, b], [c, e]] = alpha as [[number, number], [number, number]];
    return (a + e) / 2 + Math.sqrt(((a - e) / 2) ** 2 + b * c);
  }
  let x = new Array<number>(d).fill(1);
  let root = 0;
  for (let iteration = 0; iteration < 10_000; iteration++) {
    const y = x.map((xi, i) => xi + alpha[i]!.reduce((sum, a, j) => sum + a * x[j]!, 0));
    const norm = Math.max(...y);
    if (norm === 0) return 0;
    const next = norm - 1;
    x = y.map((v) => v / norm);
    if (Math.abs(next - root) < 1e-13) return next;
    root = next;
  }
  return root;
}

/** ln 2 / β: days until the push one event gives the other side's intensity has halved. */
export function halfLife(beta: number): number {
  return Math.LN2 / beta;
}
