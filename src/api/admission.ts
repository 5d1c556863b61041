/**
 * Turn-taking for requests on the embedded engine.
 *
 * PGlite runs PostgreSQL as WebAssembly on the event loop's own thread: while a query runs the
 * loop does nothing else, and Node accepts one new connection per turn of the loop. Left alone,
 * a turn under load answered every request that was ready — twenty of them, about 200 ms — so a
 * client that connected then waited one turn per connection ahead of it: with 50 clients
 * connecting at once, the last were first read after 10 s, and timed out (measured with the
 * load bench's filtered list on 5,000 incidents). Here each request waits for a turn of its own,
 * in arrival order, before anything of it runs: between two requests the loop goes round,
 * accepting and reading what has come in, so no connection waits behind more than the requests
 * that arrived before it.
 *
 * Nothing is held while a request runs, so a long export or an event stream never blocks the
 * others. PostgreSQL runs queries in its own processes and needs none of this.
 */
import type { FastifyInstance } from 'fastify';

export function registerTurns(app: FastifyInstance): void {
  const waiting: (() => void)[] = [];
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate runs after the loop's poll phase, so new connections are accepted between turns.
    setImmediate(() => {
      scheduled = false;
      waiting.shift()?.();
      if (waiting.length > 0) schedule();
    });
  };
  app.addHook('onRequest', (_request, _reply, done) => {
    waiting.push(() => done());
    schedule();
  });
}
