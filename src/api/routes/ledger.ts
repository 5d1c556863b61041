/** /ledger: the signed tree head, the public key, entries and proofs — what a distrustful party checks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { proveConsistency, proveInclusion, publishHead } from '../../ledger/heads.ts';
import { readVisibleEntry } from '../../query/ledger.ts';
import type { ApiContext } from '../context.ts';

const Size = z.coerce.number().int().min(0);

export function ledgerRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store, signer } = ctx.instance;
    app.get('/ledger/head', { schema: { tags: ['ledger'] } }, async () => publishHead(store.db, signer));
    app.get('/ledger/public-key', { schema: { tags: ['ledger'] } }, async (_request, reply) =>
      reply.type('application/x-pem-file').send(signer.publicKeyPem),
    );
    app.get(
      '/ledger/entries/:seq',
      { schema: { tags: ['ledger'], params: z.object({ seq: Size }) } },
      async (request) => readVisibleEntry(store.db, ctx.viewerOf(request), request.params.seq),
    );
    app.get(
      '/ledger/proof/inclusion',
      { schema: { tags: ['ledger'], querystring: z.object({ seq: Size, treeSize: Size }) } },
      async (request) => proveInclusion(store.db, request.query.seq, request.query.treeSize),
    );
    app.get(
      '/ledger/proof/consistency',
      { schema: { tags: ['ledger'], querystring: z.object({ oldSize: Size, newSize: Size }) } },
      async (request) => proveConsistency(store.db, request.query.oldSize, request.query.newSize),
    );
  };
}
