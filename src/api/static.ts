/**
 * Serves the built console (web/dist) under /console/: hashed assets with a year's cache, every
 * other path under /console/ answered with index.html so client routes survive a reload or a
 * shared link. Nothing here fetches from the network; the CSP of security.ts applies as to any response.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `vite build --config web/vite.config.ts` writes, beside the package. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));
export const CONSOLE_BASE = '/console/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);
/** Vite names every file under assets/ by its content hash: it can be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Loaded = { body: Buffer; gzip: Buffer | null; etag: string };

/** Files are read on request (a rebuild is picked up without a restart); compressed once per version. */
function fileCache() {
  const cache = new Map<string, Loaded>();
  return async (path: string): Promise<Loaded | null> => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const hit = cache.get(path);
    if (hit?.etag === etag) return hit;
    const body = await readFile(path);
    const gzip = COMPRESSIBLE.has(extname(path)) && body.length > 1024 ? gzipSync(body) : null;
    const loaded = { body, gzip, etag };
    cache.set(path, loaded);
    return loaded;
  };
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  file: Loaded,
  type: string,
  cacheControl: string,
) {
  reply.header('content-type', type).header('cache-control', cacheControl).header('etag', file.etag);
  reply.header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (file.gzip && /\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(file.gzip);
  }
  return reply.send(file.body);
}

/**
 * Registers / (redirect), /console/ and /console/* when `webRoot` holds a build; returns whether it did.
 * Every route is `open`: the page itself holds no data, the API it calls applies the policy.
 */
export async function registerConsole(app: FastifyInstance, webRoot: string | null): Promise<boolean> {
  if (!webRoot || !existsSync(resolve(webRoot, 'index.html'))) return false;
  const root = resolve(webRoot);
  const load = fileCache();
  const options = { config: { access: 'open' as const }, schema: { hide: true } };
  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const file = await load(resolve(root, 'index.html'));
    if (!file)
      return reply.status(404).send({ error: { code: 'not_found', message: 'console build is missing' } });
    // Revalidated on every load, so a new build's asset names reach the browser at once.
    return send(request, reply, file, CONTENT_TYPES['.html']!, 'no-cache');
  };

  app.get('/', options, async (_request, reply) => reply.redirect(CONSOLE_BASE, 302));
  app.get('/console', options, async (_request, reply) => reply.redirect(CONSOLE_BASE, 301));
  app.get('/console/', options, index);
  app.get<{ Params: { '*': string } }>('/console/*', options, async (request, reply) => {
    const rest = request.params['*'] ?? '';
    const notFound = () =>
      reply.status(404).send({ error: { code: 'not_found', message: `no console file ${rest}` } });
    if (rest.includes('\0') || rest.split('/').some((part) => part === '..')) return notFound();
    const path = resolve(root, rest);
    if (!path.startsWith(root + sep)) return notFound();
    const type = CONTENT_TYPES[extname(path)];
    const file = type ? await load(path) : null;
    if (file && type) {
      return send(
        request,
        reply,
        file,
        type,
        rest.startsWith('assets/') ? IMMUTABLE : 'public, max-age=3600',
      );
    }
    // A missing asset is an error, not the page: a stale tab must not parse HTML as script.
    if (rest.startsWith('assets/')) return notFound();
    return index(request, reply);
  });
  return true;
}
