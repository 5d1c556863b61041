/**
 * Who is asking and what they may do: resolves each request to a principal (API token,
 * session cookie, or the public), enforces CSRF on cookie-authenticated writes, and checks
 * the route's access level before any handler runs. Fails closed: a write route is for
 * monitors unless it says otherwise.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Principal, sameSecret, sessionPrincipal, tokenPrincipal } from '../access/sessions.ts';
import { PUBLIC, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import type { Instance } from '../instance.ts';

/** `read`: anyone (the policy filters); `write`: monitors and admins; `admin`; `account`: any logged-in user, even before a password change; `open`: log-in itself. */
export type Access = 'read' | 'write' | 'admin' | 'account' | 'open';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const SESSION_COOKIE = 'truce_session';
const ANONYMOUS: Principal = {
  viewer: PUBLIC,
  scope: 'read',
  username: 'public',
  csrfToken: null,
  mustChange: false,
};
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

export function sessionCookie(request: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' || process.env.TRUCE_SECURE_COOKIES === '1' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

function accessOf(request: FastifyRequest): Access {
  return request.routeOptions.config?.access ?? (SAFE_METHODS.has(request.method) ? 'read' : 'write');
}

function check(request: FastifyRequest): void {
  const { principal } = request;
  const access = accessOf(request);
  if (access === 'open' || (access === 'read' && !principal.mustChange)) return;
  if (principal.viewer.role === 'public') throw new TruceError('unauthorized', 'log in first');
  if (access === 'account') return;
  if (principal.mustChange)
    throw new TruceError('forbidden', 'change your one-time password first (POST /auth/password)');
  if (access === 'read') return;
  if (principal.scope !== 'write') throw new TruceError('forbidden', 'this API token is read-only');
  const role = principal.viewer.role;
  if (access === 'admin' && role !== 'admin') throw new TruceError('forbidden', 'only an admin may do this');
  if (access === 'write' && role !== 'admin' && role !== 'monitor') {
    throw new TruceError('forbidden', `a ${role} may not change the record`);
  }
}

export function registerAuth(
  app: FastifyInstance,
  instance: Instance,
  trusted?: (request: FastifyRequest) => Viewer,
): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (trusted) {
      // In-process embedding (tests): the caller says who the request is from.
      const viewer = trusted(request);
      request.principal = {
        viewer,
        scope: 'write',
        username: viewer.userId ?? 'public',
        csrfToken: null,
        mustChange: false,
      };
      return check(request);
    }
    const db = instance.store.db;
    const authorization = request.headers.authorization;
    if (authorization) {
      const [kind, token] = authorization.split(' ');
      const principal = kind === 'Bearer' && token ? await tokenPrincipal(db, token) : null;
      // A bad token is an error, never a silent fall-back to the public view.
      if (!principal) throw new TruceError('unauthorized', 'the API token is unknown, expired or revoked');
      request.principal = principal;
      return check(request);
    }
    const token = readCookie(request, SESSION_COOKIE);
    const session = token ? await sessionPrincipal(db, token) : null;
    request.sessionToken = session ? token : null;
    request.principal = session ?? ANONYMOUS;
    if (session && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !session.csrfToken || !sameSecret(sent, session.csrfToken)) {
        throw new TruceError('forbidden', 'missing or wrong x-csrf-token header');
      }
    }
    // Checked before the body is even validated: who may call a route comes first.
    check(request);
  });
}
