/**
 * /export: what the viewer may see of a view (the filters of GET /incidents), as one JSON document
 * with the signed head, or streamed as ACLED / UCDP CSV, GeoJSON or JSON Lines.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportStream, STREAM_FORMATS, type StreamFormat } from '../../interop/exporter.ts';
import { publishHead } from '../../ledger/heads.ts';
import { exportJson } from '../../report/exportJson.ts';
import type { ApiContext } from '../context.ts';
import { filterOf, IncidentQuerySchema } from './incidents.ts';

const FORMATS = ['json', ...STREAM_FORMATS] as [string, ...string[]];

export function exportRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/export',
      {
        schema: {
          tags: ['export'],
          querystring: IncidentQuerySchema.extend({
            format: z
              .enum(FORMATS)
              .default('json')
              .describe(
                'json (truce-export-v1), acled or ucdp (CSV), geojson, jsonl (one incident per line)',
              ),
          }),
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        // An export is the whole view: the page size and cursor of the list do not apply.
        const { limit: _limit, after: _after, ...filter } = filterOf(query);
        const { store, signer } = ctx.instance;
        const viewer = ctx.viewerOf(request);
        const head = await publishHead(store.db, signer);
        if (format === 'json') {
          reply.header('content-disposition', 'attachment; filename="truce-export.json"');
          return exportJson(store.db, viewer, filter, head);
        }
        const opened = await exportStream(store.db, viewer, filter, format as StreamFormat, { head });
        reply.header('content-type', opened.contentType);
        reply.header('content-disposition', `attachment; filename="${opened.filename}"`);
        return reply.send(opened.stream);
      },
    );
  };
}
