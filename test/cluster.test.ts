/**
 * Two `truce serve` processes on one PostgreSQL: writes through both land in one gap-free ledger
 * that verifies; and a database that goes away gives 503 and comes back by itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/access/accounts.ts';
import { issueToken } from '../src/access/sessions.ts';
import { buildServer } from '../src/api/server.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { openStore, type Store } from '../src/store/engine.ts';
import { buildIncident, seedParties } from './support/factories.ts';
import { TEST_DATABASE_URL } from './support/store.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'truce.js');

function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, 'serve', '--port', '0', '--no-demo'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /serving on (http:\/\/[\d.:]+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe.skipIf(!TEST_DATABASE_URL)('cluster mode on PostgreSQL', () => {
  const schema = `truce_cluster_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'truce-cluster-'));
  let store: Store;
  let token: string;
  const servers: { child: ChildProcess; url: string }[] = [];

  beforeAll(async () => {
    store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
    await seedParties(store);
    const { user } = await createAccount(
      store,
      'system',
      { username: 'mona', role: 'monitor' },
      'a long enough password',
    );
    token = (await issueToken(store.db, user, { scope: 'write' })).token;
    // Both processes share the database and the signing key (one data directory for the key).
    const env = { DATABASE_URL: TEST_DATABASE_URL!, TRUCE_SCHEMA: schema, TRUCE_DATA: dir };
    servers.push(await serve(env), await serve(env));
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes concurrently through both into one consistent ledger', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      fetch(`${servers[i % 2]!.url}/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(buildIncident({ title: `cluster write ${i}` })),
      }).then((r) => r.status),
    );
    expect(await Promise.all(writes)).toEqual(Array(40).fill(201));
    const titles = await store.db
      .selectFrom('incidents')
      .select('title')
      .where('title', 'like', 'cluster write %')
      .execute();
    expect(titles).toHaveLength(40);
    const seqs = (await store.db.selectFrom('ledger_entries').select('seq').orderBy('seq').execute()).map(
      (r) => r.seq,
    );
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const heads = await Promise.all(servers.map(async (s) => (await fetch(`${s.url}/ledger/head`)).json()));
    expect(heads[0].rootHash).toBe(heads[1].rootHash);
    expect(heads[0].keyId).toBe(heads[1].keyId);
    expect((await verifyLedger(store)).problems).toEqual([]);
  }, 60_000);
});

describe.skipIf(!TEST_DATABASE_URL)('database outage', () => {
  let proxy: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  const target = new URL(TEST_DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/test');

  async function startProxy() {
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    port = (proxy.address() as { port: number }).port;
  }
  async function stopProxy() {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }

  it('answers 503 with a clear message while PostgreSQL is unreachable, then recovers by itself', async () => {
    await startProxy();
    const url = new URL(TEST_DATABASE_URL!);
    url.host = `127.0.0.1:${port}`;
    const schema = `truce_outage_${randomBytes(4).toString('hex')}`;
    const store = await openStore({ databaseUrl: url.toString(), schema });
    const app = await buildServer({
      instance: { store, signer: ephemeralSigner(), dataDir: null },
      trustedViewer: () => ({ role: 'monitor', userId: 'm', partyId: null }),
    });
    expect((await app.inject('/incidents')).statusCode).toBe(200);
    await stopProxy();
    const down = await app.inject('/incidents');
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/database is unreachable/),
    });
    await startProxy();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await app.inject('/incidents')).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await app.close();
    await store.close();
    await stopProxy();
  }, 30_000);
});
