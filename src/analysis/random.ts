/** A small seeded pseudo-random generator, so every simulation, jitter and forecast can be reproduced exactly. */

/** Uniform draws on [0, 1). */
export type Rng = () => number;

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Math.random cannot be seeded, and a
 * forecast that changes on every request could not be checked or reproduced by a party.
 */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return () => next() / 4294967296;
}

/** An exponential waiting time of the given rate (inverse transform; 1 - u is never 0). */
export function exponential(rng: Rng, rate: number): number {
  return -Math.log(1 - rng()) / rate;
}
