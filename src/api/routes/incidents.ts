/** /incidents: list with filters, read one with its claims and history, create, and the monitor's actions on one. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ClaimInputSchema } from '../../domain/claim.ts';
import { IncidentInputSchema } from '../../domain/incident.ts';
import { countIncidents, getIncident, listIncidents } from '../../query/incidents.ts';
import { camelize, presentIncident, presentIncidentRecord } from '../../query/present.ts';
import { addClaim } from '../../record/claim.ts';
import { createIncident } from '../../record/incident.ts';
import { changeStatus, linkRetaliation, mergeIncidents } from '../../record/verification.ts';
import { type ApiContext, actingUser } from '../context.ts';

/** A comma-separated list in a query string. */
export const list = z
  .string()
  .max(2000)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const IncidentQuerySchema = z.object({
  from: z.string().optional().describe('first day, YYYY-MM-DD'),
  to: z.string().optional().describe('last day, YYYY-MM-DD'),
  bbox: z.string().optional().describe('west,south,east,north'),
  type: list.optional().describe('comma-separated incident types'),
  actor: list.optional().describe('comma-separated actor ids'),
  status: list.optional().describe('comma-separated statuses'),
  includeMerged: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().optional(),
  after: z.string().optional().describe('cursor from the previous page'),
});

export function filterOf(query: z.infer<typeof IncidentQuerySchema>) {
  const { includeMerged, ...rest } = query;
  return Object.fromEntries(
    Object.entries({ ...rest, includeMerged: includeMerged === 'true' }).filter(([, v]) => v !== undefined),
  );
}

const IdParams = z.object({ id: z.string().min(1).max(100) });

export function incidentRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.instance.store.db;
    const store = ctx.instance.store;

    app.get(
      '/incidents',
      { schema: { tags: ['incidents'], querystring: IncidentQuerySchema } },
      async (request) => {
        const viewer = ctx.viewerOf(request);
        const filter = filterOf(request.query);
        const page = await listIncidents(db, viewer, filter);
        const { limit: _limit, after: _after, ...countFilter } = filter;
        return {
          incidents: page.incidents.map(presentIncident),
          next: page.next,
          total: await countIncidents(db, viewer, countFilter),
        };
      },
    );

    app.get('/incidents/:id', { schema: { tags: ['incidents'], params: IdParams } }, async (request) =>
      presentIncidentRecord(await getIncident(db, ctx.viewerOf(request), request.params.id)),
    );

    app.post(
      '/incidents',
      { schema: { tags: ['incidents'], body: IncidentInputSchema } },
      async (request, reply) => {
        const row = await createIncident(store, actingUser(ctx.viewerOf(request)), request.body);
        return reply.status(201).send(presentIncident(row));
      },
    );

    const ClaimBody = z.record(z.string(), z.unknown()).describe('a claim; see ClaimInput');
    app.post(
      '/incidents/:id/claims',
      { schema: { tags: ['claims'], params: IdParams, body: ClaimBody } },
      async (request, reply) => {
        const added = await addClaim(store, actingUser(ctx.viewerOf(request)), {
          ...request.body,
          incidentId: request.params.id,
        });
        return reply
          .status(201)
          .send({ claim: camelize(added.claim), incident: presentIncident(added.incident) });
      },
    );

    app.post('/claims', { schema: { tags: ['claims'], body: ClaimInputSchema } }, async (request, reply) => {
      const added = await addClaim(store, actingUser(ctx.viewerOf(request)), request.body);
      return reply
        .status(201)
        .send({ claim: camelize(added.claim), incident: presentIncident(added.incident) });
    });

    const StatusBody = z.object({
      to: z.string(),
      reason: z.string(),
      evidence: z.array(z.unknown()).optional(),
    });
    app.post(
      '/incidents/:id/status',
      { schema: { tags: ['verification'], params: IdParams, body: StatusBody } },
      async (request) => {
        const result = await changeStatus(store, actingUser(ctx.viewerOf(request)), {
          ...request.body,
          incidentId: request.params.id,
        });
        return { incident: presentIncident(result.incident), change: camelize(result.change) };
      },
    );

    const LinkBody = z.object({ answersId: z.string(), basis: z.string(), reason: z.string() });
    app.post(
      '/incidents/:id/retaliation',
      { schema: { tags: ['verification'], params: IdParams, body: LinkBody } },
      async (request, reply) => {
        const link = await linkRetaliation(store, actingUser(ctx.viewerOf(request)), {
          ...request.body,
          incidentId: request.params.id,
        });
        return reply.status(201).send(camelize(link));
      },
    );

    const MergeBody = z.object({ mergedId: z.string(), reason: z.string() });
    app.post(
      '/incidents/:id/merge',
      { schema: { tags: ['verification'], params: IdParams, body: MergeBody } },
      async (request) => {
        const result = await mergeIncidents(store, actingUser(ctx.viewerOf(request)), {
          ...request.body,
          keptId: request.params.id,
        });
        return { merge: camelize(result.merge), kept: presentIncident(result.kept) };
      },
    );
  };
}
