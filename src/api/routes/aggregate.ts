/** /aggregate: map clusters, daily counts and a light incident list for the console, under the access policy. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clusterIncidents, dailyCounts, situationIncidents } from '../../query/aggregate.ts';
import type { ApiContext } from '../context.ts';
import { IncidentQuerySchema, list } from './incidents.ts';

/** The same filters as GET /incidents, plus `party` (the actor's party) and `tlp`. */
export const SituationQuerySchema = IncidentQuerySchema.pick({
  from: true,
  to: true,
  bbox: true,
  type: true,
  actor: true,
  status: true,
}).extend({
  party: list.optional().describe("comma-separated party codes of the incidents' actors"),
  tlp: list.optional().describe('comma-separated TLP levels (encode + as %2B)'),
});

type SituationQuery = z.infer<typeof SituationQuerySchema>;

function filterOf(query: SituationQuery) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
}

export function aggregateRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.instance.store.db;
    app.get(
      '/aggregate/clusters',
      {
        schema: {
          tags: ['aggregate'],
          description:
            'Incidents grouped into square screen cells at a map zoom; a cell with one incident names it.',
          querystring: SituationQuerySchema.extend({
            zoom: z.coerce.number().describe('map zoom level (512-pixel tiles)'),
          }),
        },
      },
      async (request) => {
        const { zoom, ...query } = request.query;
        return clusterIncidents(db, ctx.viewerOf(request), filterOf(query), zoom);
      },
    );
    app.get(
      '/aggregate/daily',
      {
        schema: {
          tags: ['aggregate'],
          description: 'Incidents per day and type under the filter.',
          querystring: SituationQuerySchema,
        },
      },
      async (request) => dailyCounts(db, ctx.viewerOf(request), filterOf(request.query)),
    );
    app.get(
      '/aggregate/incidents',
      {
        schema: {
          tags: ['aggregate'],
          description: 'One page of incidents under the filter, newest first, in the columns a list shows.',
          querystring: SituationQuerySchema.extend({
            limit: z.coerce.number().int().min(1).max(200).optional(),
            after: z.string().max(200).optional(),
          }),
        },
      },
      async (request) => {
        const { limit, after, ...query } = request.query;
        return situationIncidents(db, ctx.viewerOf(request), filterOf(query), { limit, after });
      },
    );
  };
}
