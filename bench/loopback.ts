/**
 * Load on loopback for the load section: GETs that see headers and body exactly as sent, a bare
 * Fastify server replaying recorded answers byte for byte, and autocannon runs (client in a worker
 * thread) that fail on any error, timeout, non-2xx or unexpected body. Only 127.0.0.1 is targeted.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { type Latency, latency, round } from './measure.ts';

export type LoadRun = {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses whose body differed from every body fetched before the run. */
  mismatches: number;
};

// ---------------------------------------------------------------------------------------------
// Responses, byte for byte

export type Fetched = { path: string; status: number; headers: [string, string][]; body: Buffer };

/** GET over a plain socket, so headers and body are seen exactly as sent. */
function get(base: string, path: string, token?: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const raw = res.rawHeaders;
        const headers: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
        resolve({ path, status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

export async function fetchAll(base: string, paths: readonly string[], token: string): Promise<Fetched[]> {
  const out: Fetched[] = [];
  for (const path of paths) {
    const r = await get(base, path, token);
    if (r.status !== 200)
      throw new Error(`GET ${path} answered ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`);
    out.push(r);
  }
  return out;
}

/**
 * `count` requests one after another, cycling through `paths`, each checked to be the recorded
 * answer: the latency of a request with nothing queued before it.
 */
export async function oneAtATime(
  base: string,
  expected: readonly Fetched[],
  token: string | undefined,
  count: number,
): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const want = expected[i % expected.length]!;
    const start = performance.now();
    const got = await get(base, want.path, token);
    times.push(performance.now() - start);
    if (got.status !== 200 || !got.body.equals(want.body))
      throw new Error(
        `GET ${want.path} one at a time: status ${got.status}, body differs from the recorded one`,
      );
  }
  return latency(times);
}

/** Headers Node's HTTP server writes on its own; the bare route leaves them to it. */
const TRANSPORT_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);

function replay(reply: FastifyReply, fetched: Fetched | undefined) {
  if (!fetched) return reply.status(404).send();
  for (const [name, value] of fetched.headers) if (!TRANSPORT_HEADERS.has(name)) reply.header(name, value);
  return reply.send(fetched.body);
}

/**
 * The baseline server: Fastify with nothing but `routes`, answering each recorded path with the
 * bytes and headers Truce answered it with (minus those Node adds itself); listening on loopback.
 */
export async function bareServer(
  routes: readonly string[],
  recorded: readonly Fetched[],
): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify();
  const byPath = new Map(recorded.map((r) => [r.path, r]));
  for (const route of routes) app.get(route, (req, reply) => replay(reply, byPath.get(req.url)));
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

export const headerBytes = (r: Fetched) => r.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
const header = (r: Fetched, name: string) => r.headers.find(([k]) => k === name)?.[1];

/** Both servers must answer every path with the same status, bytes, content type and length. */
export async function checkSameBytes(bareBase: string, expected: readonly Fetched[]): Promise<Fetched> {
  let first: Fetched | undefined;
  for (const truce of expected) {
    const bare = await get(bareBase, truce.path);
    first ??= bare;
    const problems = [
      bare.status !== truce.status && `status ${bare.status} ≠ ${truce.status}`,
      !bare.body.equals(truce.body) && `body differs (${bare.body.length} vs ${truce.body.length} bytes)`,
      header(bare, 'content-type') !== header(truce, 'content-type') && 'content-type differs',
      header(bare, 'content-length') !== header(truce, 'content-length') && 'content-length differs',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`bare route for ${truce.path}: ${problems.join(', ')}`);
  }
  return first!;
}

// ---------------------------------------------------------------------------------------------
// autocannon

/** autocannon in a worker thread takes its body check from a file: every body must be one fetched before the run. */
export function writeVerifier(scratch: string, expected: readonly Fetched[]): string {
  const name = `verify-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(scratch, `${name}.json`), JSON.stringify(expected.map((r) => r.body.toString('utf8'))));
  const file = join(scratch, `${name}.cjs`);
  writeFileSync(
    file,
    `'use strict';\nconst bodies = new Set(require(${JSON.stringify(join(scratch, `${name}.json`))}));\nmodule.exports = (body) => bodies.has(body);\n`,
  );
  return file;
}

export async function hammer(
  what: string,
  base: string,
  paths: readonly string[],
  headers: Record<string, string>,
  verifyBody: string,
  sizes: { connections: number; seconds: number; warmupSeconds: number },
): Promise<LoadRun> {
  const options = {
    url: base,
    headers,
    connections: sizes.connections,
    pipelining: 1,
    // The client gets a thread of its own, so it does not share the server's event loop.
    workers: 1,
    // A request unanswered after 10 s counts as an error (autocannon's default, made explicit).
    timeout: 10,
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
    // In workers mode autocannon takes a module path where its types say function.
    verifyBody: verifyBody as unknown as NonNullable<autocannon.Options['verifyBody']>,
  };
  // Warm-up (JIT, plan caches, pool connections): same load, shorter, not recorded, still checked.
  check(`${what} (warm-up)`, summarise(await autocannon({ ...options, duration: sizes.warmupSeconds })));
  const run = summarise(await autocannon({ ...options, duration: sizes.seconds }));
  check(what, run);
  return run;
}

function summarise(result: autocannon.Result): LoadRun {
  return {
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
  };
}

/** "Zero errors" is checked, not just printed: the section, and `npm run bench`, fail on any. */
function check(what: string, run: LoadRun) {
  if (run.errors + run.non2xx + run.mismatches > 0 || run.requests === 0)
    throw new Error(
      `${what}: ${run.errors} errors (${run.timeouts} timeouts), ${run.non2xx} non-2xx, ` +
        `${run.mismatches} unexpected bodies in ${run.requests} requests ` +
        `(${run.requestsPerSecond} req/s; latency of the answered: p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, max ${run.maxMs} ms)`,
    );
}
