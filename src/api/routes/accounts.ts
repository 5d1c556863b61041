/** /auth (log-in, log-out, me, password, tokens) and /users (admin): accounts over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate, changePassword, createAccount } from '../../access/accounts.ts';
import { logAccess } from '../../access/audit.ts';
import {
  createSession,
  endSession,
  forgetPrincipals,
  issueToken,
  revokeToken,
  SESSION_HOURS,
} from '../../access/sessions.ts';
import { TruceError } from '../../domain/errors.ts';
import { camelize } from '../../query/present.ts';
import { disableUser } from '../../record/user.ts';
import { sessionCookie } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

export function accountRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store } = ctx.instance;
    const db = store.db;

    app.post(
      '/auth/login',
      { config: { access: 'open' }, schema: { tags: ['auth'], body: Login } },
      async (request, reply) => {
        const { user, mustChange } = await authenticate(
          store,
          request.body.username,
          request.body.password,
          request.ip,
        );
        const session = await createSession(db, user.id);
        reply.header('set-cookie', sessionCookie(request, session.token, SESSION_HOURS * 3600));
        return {
          user: camelize(user),
          csrfToken: session.csrfToken,
          expiresAt: session.expiresAt,
          mustChangePassword: mustChange,
        };
      },
    );

    app.post(
      '/auth/logout',
      { config: { access: 'account' }, schema: { tags: ['auth'] } },
      async (request, reply) => {
        if (request.sessionToken) await endSession(db, request.sessionToken);
        await logAccess(db, { action: 'logout', userId: request.principal.viewer.userId });
        reply.header('set-cookie', sessionCookie(request, '', 0));
        return { ok: true };
      },
    );

    app.get('/auth/me', { config: { access: 'open' }, schema: { tags: ['auth'] } }, async (request) => {
      const { viewer, username, csrfToken, mustChange, scope } = request.principal;
      return { ...viewer, username, csrfToken, mustChangePassword: mustChange, scope };
    });

    const Password = z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) });
    app.post(
      '/auth/password',
      { config: { access: 'account' }, schema: { tags: ['auth'], body: Password } },
      async (request) => {
        await changePassword(
          store,
          request.principal.viewer.userId!,
          request.body.currentPassword,
          request.body.newPassword,
        );
        return { ok: true };
      },
    );

    const TokenBody = z.object({
      scope: z.enum(['read', 'write']).default('read'),
      label: z.string().max(200).optional(),
      expiresInDays: z.number().int().min(1).max(366).optional(),
    });
    app.post(
      '/auth/tokens',
      { config: { access: 'account' }, schema: { tags: ['auth'], body: TokenBody } },
      async (request, reply) => {
        const { viewer, username, mustChange } = request.principal;
        if (mustChange) throw new TruceError('forbidden', 'change your one-time password first');
        const expiresAt = request.body.expiresInDays
          ? new Date(Date.now() + request.body.expiresInDays * 86_400_000).toISOString()
          : undefined;
        const token = await issueToken(
          db,
          { id: viewer.userId!, username },
          { scope: request.body.scope, label: request.body.label, expiresAt },
        );
        return reply.status(201).send({ ...token, note: 'shown once; store it now' });
      },
    );
    app.delete(
      '/auth/tokens/:id',
      {
        config: { access: 'account' },
        schema: { tags: ['auth'], params: z.object({ id: z.string().max(32) }) },
      },
      async (request) => {
        const own = await db
          .selectFrom('api_tokens')
          .select('user_id')
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (
          !own ||
          (own.user_id !== request.principal.viewer.userId && request.principal.viewer.role !== 'admin')
        ) {
          throw new TruceError('not_found', `no token "${request.params.id}"`, { field: 'id' });
        }
        await revokeToken(db, request.params.id);
        return { ok: true };
      },
    );

    app.get('/users', { config: { access: 'admin' }, schema: { tags: ['users'] } }, async () =>
      (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(camelize),
    );
    const NewUser = z.object({
      username: z.string(),
      role: z.string(),
      partyId: z.string().nullable().optional(),
    });
    app.post(
      '/users',
      { config: { access: 'admin' }, schema: { tags: ['users'], body: NewUser } },
      async (request, reply) => {
        const { user, password } = await createAccount(store, request.principal.viewer.userId!, request.body);
        return reply.status(201).send({ user: camelize(user), oneTimePassword: password });
      },
    );
    app.post(
      '/users/:username/disable',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['users'],
          params: z.object({ username: z.string().max(64) }),
          body: z.object({ reason: z.string() }),
        },
      },
      async (request) => {
        const user = await disableUser(store, request.principal.viewer.userId!, {
          username: request.params.username,
          reason: request.body.reason,
        });
        // Cached principals of the disabled user must not outlive this request.
        forgetPrincipals();
        return camelize(user);
      },
    );
  };
}
