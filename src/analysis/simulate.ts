/** Simulating a Hawkes process forward by Ogata's thinning: synthetic test data, and the paths a forecast is made of. */
import type { HawkesParams } from './hawkes.ts';
import { exponential, type Rng } from './random.ts';

export type SimulationOptions = {
  start: number;
  end: number;
  rng: Rng;
  /**
   * The history's excitation at `start`, S_j = Σ_{t_l^j < start} e^{-β(start − t_l)} (see
   * excitationState); zero when simulating from scratch.
   */
  state?: ArrayLike<number>;
  /** Or the excitation part of each intensity at `start`, e_i = Σ_j α_ij β S_j, when already computed. */
  excitation?: ArrayLike<number>;
  /** Called for every simulated event, in time order. */
  onEvent: (t: number, k: number) => void;
  /** Stop after this many events (an explosive fit must not hang a request); default 1,000,000. */
  maxEvents?: number;
};

export type SimulationResult = { events: number; truncated: boolean };

/**
 * Ogata's (1981) modified thinning. With exponential kernels the total intensity only falls
 * between events, so its value just after the current time bounds it until the next event:
 * propose a time at that bound's rate, accept it with probability λ(t')/bound, and pick the
 * dimension in proportion to λ_i(t'). The excitation part e_i = λ_i − μ_i is carried as a vector
 * that decays by e^{-βΔ} and jumps by α_ik β at each k-event, so each step is O(d²).
 */
export function simulateHawkes(params: HawkesParams, options: SimulationOptions): SimulationResult {
  const dims = params.mu.length;
  const { rng, end, onEvent } = options;
  const maxEvents = options.maxEvents ?? 1_000_000;
  const excitation = new Float64Array(dims);
  if (options.excitation) excitation.set(options.excitation);
  else if (options.state) {
    for (let i = 0; i < dims; i++)
      for (let j = 0; j < dims; j++) excitation[i]! += params.alpha[i]![j]! * params.beta * options.state[j]!;
  }
  const muTotal = params.mu.reduce((a, b) => a + b, 0);
  let t = options.start;
  let events = 0;
  for (;;) {
    let bound = muTotal;
    for (let i = 0; i < dims; i++) bound += excitation[i]!;
    if (bound <= 0) return { events, truncated: false };
    const next = t + exponential(rng, bound);
    if (next >= end) return { events, truncated: false };
    const decay = Math.exp(-params.beta * (next - t));
    t = next;
    let total = muTotal;
    for (let i = 0; i < dims; i++) {
      excitation[i]! *= decay;
      total += excitation[i]!;
    }
    let u = rng() * bound;
    if (u >= total) continue; // thinned: the intensity fell below the bound
    let k = 0;
    for (; k < dims - 1; k++) {
      u -= params.mu[k]! + excitation[k]!;
      if (u < 0) break;
    }
    onEvent(t, k);
    events += 1;
    if (events >= maxEvents) return { events, truncated: true };
    for (let i = 0; i < dims; i++) excitation[i]! += params.alpha[i]![k]! * params.beta;
  }
}

/** e_i = Σ_j α_ij β S_j: the history's push on each intensity, from its state. */
export function excitationOf(params: HawkesParams, state: ArrayLike<number>): Float64Array {
  const dims = params.mu.length;
  const out = new Float64Array(dims);
  for (let i = 0; i < dims; i++)
    for (let j = 0; j < dims; j++) out[i]! += params.alpha[i]![j]! * params.beta * state[j]!;
  return out;
}

/** Convenience for tests and synthetic data: the events themselves, as {t, k}. */
export function simulateEvents(
  params: HawkesParams,
  options: Omit<SimulationOptions, 'onEvent'>,
): { t: number; k: number }[] {
  const events: { t: number; k: number }[] = [];
  simulateHawkes(params, { ...options, onEvent: (t, k) => events.push({ t, k }) });
  return events;
}
