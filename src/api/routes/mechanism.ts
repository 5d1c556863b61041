/** /agreements, /crossings and /commitments. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgreementInputSchema, CommitmentInputSchema } from '../../domain/agreement.ts';
import { camelize } from '../../query/present.ts';
import { listAgreements } from '../../query/reference.ts';
import { createAgreement, createCommitment, recordCrossingStatus } from '../../record/mechanism.ts';
import { type ApiContext, actingUser } from '../context.ts';

export function mechanismRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store } = ctx.instance;
    app.get('/agreements', { schema: { tags: ['agreements'] } }, async (request) =>
      (await listAgreements(store.db, ctx.viewerOf(request))).map(camelize),
    );
    app.post(
      '/agreements',
      { schema: { tags: ['agreements'], body: AgreementInputSchema } },
      async (request, reply) =>
        reply
          .status(201)
          .send(camelize(await createAgreement(store, actingUser(ctx.viewerOf(request)), request.body))),
    );
    const StatusBody = z.record(z.string(), z.unknown()).describe('a crossing status report');
    app.post(
      '/crossings/:id/status',
      { schema: { tags: ['crossings'], params: z.object({ id: z.string().max(100) }), body: StatusBody } },
      async (request, reply) =>
        reply.status(201).send(
          camelize(
            await recordCrossingStatus(store, actingUser(ctx.viewerOf(request)), {
              ...request.body,
              placeId: request.params.id,
            }),
          ),
        ),
    );
    app.post(
      '/commitments',
      { schema: { tags: ['commitments'], body: CommitmentInputSchema } },
      async (request, reply) =>
        reply
          .status(201)
          .send(camelize(await createCommitment(store, actingUser(ctx.viewerOf(request)), request.body))),
    );
  };
}
