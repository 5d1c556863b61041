import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerTurns } from './admission.ts';

/** Work done on the event loop's own thread, as PGlite's queries are. */
function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * Twenty clients keep a server busy (each request 5 ms of work on the loop's thread); twenty more
 * connect at once, one request each. Returns, per newcomer, how many requests the server answered
 * between the newcomer sending its request and the server starting it.
 */
async function newcomersWait(app: FastifyInstance): Promise<number[]> {
  let served = 0;
  app.get('/', async () => {
    busy(5);
    return { served: ++served };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = (agent: http.Agent) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(base, { agent }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve(JSON.parse(body).served));
        })
        .on('error', reject);
    });
  const regulars = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const newcomers = new http.Agent({ keepAlive: true, maxSockets: 20 });
  let stop = false;
  const loops = Array.from({ length: 20 }, async () => {
    while (!stop) await get(regulars);
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = served;
    const answeredAt = await Promise.all(Array.from({ length: 20 }, () => get(newcomers)));
    return answeredAt.map((at) => at - sentAt);
  } finally {
    stop = true;
    await Promise.all(loops);
    regulars.destroy();
    newcomers.destroy();
  }
}

describe('turns on the embedded engine', () => {
  let app: FastifyInstance;
  afterEach(async () => app.close());

  it('serves a burst of new connections in about arrival order, not after every busy client has gone round again and again', async () => {
    app = Fastify();
    registerTurns(app);
    const waits = await newcomersWait(app);
    // Twenty newcomers, and the twenty requests in flight when they came: a fair queue answers each
    // within about sixty requests (59 measured), whatever the machine's speed.
    expect(Math.max(...waits)).toBeLessThanOrEqual(100);
  });

  it('is needed: without turns, the last newcomers wait while the busy clients go round many times', async () => {
    app = Fastify();
    const waits = await newcomersWait(app);
    // Node accepts about one connection per turn of the loop, and a turn answered all twenty busy clients (274 measured).
    expect(Math.max(...waits)).toBeGreaterThan(200);
  });
});
