import { describe, expect, it } from 'vitest';
import { StatementQueue } from './statementQueue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('StatementQueue', () => {
  it('runs statements one after another, in order, while the caller goes on', async () => {
    const queue = new StatementQueue();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c'])
      queue.push(async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
      });
    log.push('caller');
    await queue.drain();
    expect(log).toEqual(['caller', 'a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('starts nothing after a failure, and drain throws that first failure', async () => {
    const queue = new StatementQueue();
    const ran: string[] = [];
    queue.push(async () => ran.push('a'));
    queue.push(async () => {
      throw new Error('disk full');
    });
    queue.push(async () => ran.push('c'));
    await expect(queue.drain()).rejects.toThrow('disk full');
    expect(ran).toEqual(['a']);
    // stop() hands back that first failure, the cause of what failed after it.
    expect(await queue.stop()).toEqual({ error: new Error('disk full') });
  });

  it('after stop, waits for the running statement and starts no other (the transaction is rolling back)', async () => {
    const queue = new StatementQueue();
    const ran: string[] = [];
    queue.push(async () => {
      await tick();
      ran.push('running');
    });
    queue.push(async () => ran.push('queued'));
    await Promise.resolve(); // the first statement is under way
    await queue.stop();
    queue.push(async () => ran.push('late'));
    await queue.drain();
    expect(ran).toEqual(['running']);
  });
});
