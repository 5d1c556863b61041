import { describe, expect, it } from 'vitest';
import { randomHex } from './randomHex.ts';

describe('randomHex', () => {
  it('gives hex of the length asked, never the same value twice, across many pool refills', () => {
    const seen = new Set<string>();
    // 8 bytes at a time: 20,000 draws use the 64 KiB pool twice over and more.
    for (let i = 0; i < 20_000; i++) {
      const hex = randomHex(8);
      expect(hex).toMatch(/^[0-9a-f]{16}$/);
      seen.add(hex);
    }
    expect(seen.size).toBe(20_000);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(70_000)).toHaveLength(140_000);
  });
});
