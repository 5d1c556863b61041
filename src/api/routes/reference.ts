/** /parties, /actors, /sources, /places and /documents: the records other records point at. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DocumentInputSchema } from '../../domain/claim.ts';
import { ActorInputSchema, PartyInputSchema, SourceInputSchema } from '../../domain/party.ts';
import { camelize } from '../../query/present.ts';
import {
  getDocument,
  getPlace,
  listActors,
  listParties,
  listPlaces,
  listSources,
} from '../../query/reference.ts';
import { storeDocument } from '../../record/claim.ts';
import { createActor, createParty, createSource } from '../../record/reference.ts';
import { type ApiContext, actingUser } from '../context.ts';

const IdParams = z.object({ id: z.string().min(1).max(100) });

export function referenceRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store } = ctx.instance;
    const by = (request: Parameters<ApiContext['viewerOf']>[0]) => actingUser(ctx.viewerOf(request));

    app.get('/parties', { schema: { tags: ['reference'] } }, async () =>
      (await listParties(store.db)).map(camelize),
    );
    app.post(
      '/parties',
      { schema: { tags: ['reference'], body: PartyInputSchema } },
      async (request, reply) =>
        reply.status(201).send(camelize(await createParty(store, by(request), request.body))),
    );
    app.get('/actors', { schema: { tags: ['reference'] } }, async () =>
      (await listActors(store.db)).map(camelize),
    );
    app.post('/actors', { schema: { tags: ['reference'], body: ActorInputSchema } }, async (request, reply) =>
      reply.status(201).send(camelize(await createActor(store, by(request), request.body))),
    );
    app.get('/sources', { schema: { tags: ['reference'] } }, async (request) =>
      (await listSources(store.db, ctx.viewerOf(request))).map(camelize),
    );
    app.post(
      '/sources',
      { schema: { tags: ['reference'], body: SourceInputSchema } },
      async (request, reply) =>
        reply.status(201).send(camelize(await createSource(store, by(request), request.body))),
    );

    const PlaceQuery = z.object({
      q: z.string().max(200).optional(),
      kind: z.string().max(40).optional(),
      country: z.string().max(3).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    });
    app.get('/places', { schema: { tags: ['reference'], querystring: PlaceQuery } }, async (request) =>
      (await listPlaces(store.db, request.query)).map(camelize),
    );
    app.get('/places/:id', { schema: { tags: ['reference'], params: IdParams } }, async (request) =>
      camelize(await getPlace(store.db, request.params.id)),
    );

    app.post(
      '/documents',
      { schema: { tags: ['documents'], body: DocumentInputSchema } },
      async (request, reply) => {
        const { document, created } = await storeDocument(store, by(request), request.body);
        return reply.status(created ? 201 : 200).send({ ...camelize(document), created });
      },
    );
    app.get('/documents/:id', { schema: { tags: ['documents'], params: IdParams } }, async (request) =>
      camelize(await getDocument(store.db, ctx.viewerOf(request), request.params.id)),
    );
  };
}
