/** /export: the records a viewer may see, as one JSON document (analyst formats come with the interop issue). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publishHead } from '../../ledger/heads.ts';
import { exportJson } from '../../report/exportJson.ts';
import type { ApiContext } from '../context.ts';
import { filterOf, IncidentQuerySchema } from './incidents.ts';

export function exportRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/export',
      {
        schema: {
          tags: ['export'],
          querystring: IncidentQuerySchema.extend({ format: z.enum(['json']).default('json') }),
        },
      },
      async (request, reply) => {
        const { format: _format, ...query } = request.query;
        reply.header('content-disposition', 'attachment; filename="truce-export.json"');
        const { store, signer } = ctx.instance;
        return exportJson(
          store.db,
          ctx.viewerOf(request),
          filterOf(query),
          await publishHead(store.db, signer),
        );
      },
    );
  };
}
