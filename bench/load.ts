/**
 * Load on loopback: autocannon against a filtered incident list through the whole stack (token
 * auth, policy, query, presenter) versus a bare Fastify route sending the same bytes.
 * Bounded in connections and time; only 127.0.0.1 is ever targeted.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createAccount } from '../src/access/accounts.ts';
import { issueToken } from '../src/access/sessions.ts';
import { buildServer } from '../src/api/server.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { insertIncident } from '../src/record/incident.ts';
import { recordTransaction } from '../src/record/transaction.ts';
import { openStore } from '../src/store/engine.ts';

type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
};

async function hammer(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

export async function benchLoad(
  options: { seconds?: number; connections?: number; incidents?: number } = {},
) {
  const seconds = options.seconds ?? 30;
  const connections = options.connections ?? 50;
  const store = await openStore({});
  const instance = { store, signer: ephemeralSigner(), dataDir: null };
  await seedDemo(instance);
  // Enough incidents that the filter and the page matter.
  const n = options.incidents ?? 2000;
  await recordTransaction(store, 'bench', async (tx) => {
    for (let i = 0; i < n; i++) {
      await insertIncident(tx, {
        type: i % 3 ? 'shelling' : 'armed_clash',
        title: `load incident ${i}`,
        occurredOn: new Date(Date.UTC(2025, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10),
        lat: 31 + (i % 40) / 10,
        lon: 67 + (i % 50) / 10,
        actorId: i % 2 ? 'PK.military' : 'AF.forces',
        tlp: i % 5 ? 'CLEAR' : 'AMBER',
        recipients: i % 5 ? [] : ['PK'],
      });
    }
  });
  const { user } = await createAccount(
    store,
    'bench',
    { username: 'loader', role: 'delegate', partyId: 'AF' },
    'a long enough password',
  );
  const token = (await issueToken(store.db, user, { scope: 'read' })).token;
  const app = await buildServer({ instance });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const path = '/incidents?from=2025-03-01&to=2025-08-31&bbox=66,31,72,35&type=shelling&limit=50';
  const headers = { authorization: `Bearer ${token}` };
  const sample = await fetch(`${base}${path}`, { headers });
  const bytes = await sample.text();
  const truce = await hammer(`${base}${path}`, headers, seconds, connections);
  await app.close();

  const bare = Fastify();
  bare.get('/incidents', async (_request, reply) => reply.type('application/json').send(bytes));
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
  const baseline = await hammer(`${bareBase}${path}`, {}, seconds, connections);
  await bare.close();
  await store.close();
  return {
    input: `${n} incidents + demo on PGlite in memory; delegate token; ${connections} connections for ${seconds} s; response ${bytes.length} bytes`,
    truce,
    bare: baseline,
    ratio: Math.round((truce.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000,
  };
}

if (process.env.TRUCE_SCRIPT === import.meta.url) {
  const quick = process.argv.includes('--quick');
  console.log(
    JSON.stringify(await benchLoad(quick ? { seconds: 3, connections: 10, incidents: 300 } : {}), null, 2),
  );
}
