/** /files, /submissions, /requests, /responses, /exchange (inbox, live events, record of who acted) and /webhooks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TruceError } from '../../domain/errors.ts';
import { registerWebhook } from '../../exchange/webhooks.ts';
import { currentTree } from '../../ledger/log.ts';
import { actionRecord, inbox, listRequests, listSubmissions, readFile } from '../../query/exchange.ts';
import { camelize } from '../../query/present.ts';
import {
  fileSubmission,
  forwardSubmission,
  respondToRequest,
  uploadFile,
  verifyAction,
} from '../../record/exchange.ts';
import { toCsv } from '../../report/csv.ts';
import { type ApiContext, actingUser } from '../context.ts';
import { CONTENT_SECURITY_POLICY } from '../security.ts';

export const UPLOAD_LIMIT = 6 * 1024 * 1024;
const Id = z.object({ id: z.string().min(1).max(100) });
const Body = z.record(z.string(), z.unknown());

export function exchangeRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store } = ctx.instance;
    const db = store.db;
    const by = (request: Parameters<ApiContext['viewerOf']>[0]) => actingUser(ctx.viewerOf(request));

    // Evidence files arrive as raw bytes; their type is decided by content in record/, not by this header.
    app.addContentTypeParser(
      ['image/jpeg', 'image/png', 'application/pdf', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/files',
      { bodyLimit: UPLOAD_LIMIT, config: { access: 'account' }, schema: { tags: ['exchange'] } },
      async (request, reply) => {
        const viewer = ctx.viewerOf(request);
        if (viewer.role !== 'delegate' && viewer.role !== 'monitor' && viewer.role !== 'admin')
          throw new TruceError('forbidden', 'only delegates and monitors upload evidence');
        if (!Buffer.isBuffer(request.body))
          throw new TruceError(
            'invalid_input',
            'file: send the bytes with content-type image/jpeg, image/png or application/pdf',
            { field: 'file' },
          );
        const name =
          typeof request.headers['x-filename'] === 'string'
            ? request.headers['x-filename'].slice(0, 200)
            : null;
        const file = await uploadFile(store, by(request), { viewer, bytes: request.body, name });
        return reply.status(201).send(camelize(file));
      },
    );
    app.get('/files/:id', { schema: { tags: ['exchange'], params: Id } }, async (request, reply) => {
      const file = await readFile(db, ctx.viewerOf(request), request.params.id);
      return reply
        .type(file.media_type)
        .header('content-disposition', `attachment; filename="${file.id}"`)
        .send(file.bytes);
    });

    app.post(
      '/submissions',
      { config: { access: 'account' }, schema: { tags: ['exchange'], body: Body } },
      async (request, reply) =>
        reply.status(201).send(
          camelize(
            await fileSubmission(store, by(request), {
              viewer: ctx.viewerOf(request),
              submission: request.body,
            }),
          ),
        ),
    );
    app.get('/submissions', { schema: { tags: ['exchange'] } }, async (request) =>
      (await listSubmissions(db, ctx.viewerOf(request))).map(camelize),
    );
    app.post(
      '/submissions/:id/forward',
      { schema: { tags: ['exchange'], params: Id, body: Body } },
      async (request, reply) =>
        reply.status(201).send(
          camelize(
            await forwardSubmission(store, by(request), {
              ...request.body,
              submissionId: request.params.id,
            }),
          ),
        ),
    );

    app.get('/requests', { schema: { tags: ['exchange'] } }, async (request) =>
      (await listRequests(db, ctx.viewerOf(request))).map((r) => ({
        ...camelize(r),
        responses: r.responses.map((x) => ({ ...camelize(x), verifications: x.verifications.map(camelize) })),
      })),
    );
    app.post(
      '/requests/:id/responses',
      { config: { access: 'account' }, schema: { tags: ['exchange'], params: Id, body: Body } },
      async (request, reply) =>
        reply.status(201).send(
          camelize(
            await respondToRequest(store, by(request), {
              viewer: ctx.viewerOf(request),
              response: { ...request.body, derivativeId: request.params.id },
            }),
          ),
        ),
    );
    app.post(
      '/responses/:id/verification',
      { schema: { tags: ['exchange'], params: Id, body: Body } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            camelize(
              await verifyAction(store, by(request), { ...request.body, responseId: request.params.id }),
            ),
          ),
    );

    app.get(
      '/exchange/inbox',
      { config: { access: 'account' }, schema: { tags: ['exchange'] } },
      async (request) => inbox(db, ctx.viewerOf(request)),
    );

    const Period = z.object({
      from: z.iso.date(),
      to: z.iso.date(),
      format: z.enum(['json', 'csv']).default('json'),
    });
    app.get(
      '/exchange/record',
      { schema: { tags: ['exchange'], querystring: Period } },
      async (request, reply) => {
        const rows = await actionRecord(db, ctx.viewerOf(request), request.query);
        if (request.query.format === 'json') return rows;
        const columns = Object.keys(rows[0] ?? { partyId: 0 }) as (keyof (typeof rows)[number])[];
        return reply.type('text/csv; charset=utf-8').send(
          toCsv(
            rows,
            columns.map((c) => [c, (r) => r[c]]),
          ),
        );
      },
    );

    /** Server-Sent Events: the inbox now, then again whenever the ledger grows and the inbox changed. */
    app.get(
      '/exchange/events',
      { config: { access: 'account' }, schema: { tags: ['exchange'] } },
      async (request, reply) => {
        const viewer = ctx.viewerOf(request);
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        });
        let last = '';
        let size = -1;
        let busy = false;
        const tick = async () => {
          if (busy) return;
          busy = true;
          try {
            const tree = await currentTree(db);
            if (tree.size !== size) {
              size = tree.size;
              const text = JSON.stringify(await inbox(db, viewer));
              if (text !== last) {
                last = text;
                out.write(`event: inbox\nid: ${size}\ndata: ${text}\n\n`);
                return;
              }
            }
            out.write(': keep-alive\n\n');
          } catch {
            out.write('event: error\ndata: {"message":"inbox unavailable; retrying"}\n\n');
          } finally {
            busy = false;
          }
        };
        await tick();
        const timer = setInterval(tick, 1000);
        request.raw.on('close', () => clearInterval(timer));
      },
    );

    const Hook = z.object({ partyId: z.string().min(2).max(12), url: z.string().max(2000) });
    app.post(
      '/webhooks',
      { config: { access: 'admin' }, schema: { tags: ['exchange'], body: Hook } },
      async (request, reply) => {
        const party = await db
          .selectFrom('parties')
          .select('id')
          .where('id', '=', request.body.partyId)
          .executeTakeFirst();
        if (!party)
          throw new TruceError('not_found', `partyId: no party "${request.body.partyId}"`, {
            field: 'partyId',
          });
        const hook = await registerWebhook(db, request.body.partyId, request.body.url);
        return reply.status(201).send({
          ...hook,
          note: 'the secret is shown once; the receiver verifies x-truce-signature with it',
        });
      },
    );
    app.get(
      '/webhooks/:id/deliveries',
      { config: { access: 'admin' }, schema: { tags: ['exchange'], params: Id } },
      async (request) =>
        (
          await db
            .selectFrom('webhook_deliveries')
            .selectAll()
            .where('webhook_id', '=', request.params.id)
            .orderBy('created_at')
            .execute()
        ).map(camelize),
    );
  };
}
