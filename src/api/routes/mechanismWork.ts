/** /queue, /violations, /crossings board and plans, /commitments decisions: the mechanism's daily work over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commitmentsRegister, crossingsBoard, verificationQueue, violations } from '../../query/mechanism.ts';
import { camelize, presentIncident } from '../../query/present.ts';
import { beginPhase, createReopeningPlan } from '../../record/crossing.ts';
import { decideCommitment } from '../../record/mechanism.ts';
import { attributeViolation } from '../../record/violation.ts';
import { toCsv } from '../../report/csv.ts';
import { type ApiContext, actingUser } from '../context.ts';

const Format = z.enum(['json', 'csv']).default('json');
const Day = z.iso.date();

export function mechanismWorkRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { store } = ctx.instance;
    const db = store.db;
    const by = (request: Parameters<ApiContext['viewerOf']>[0]) => actingUser(ctx.viewerOf(request));

    app.get(
      '/queue',
      {
        schema: {
          tags: ['verification'],
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
        },
      },
      async (request) =>
        (await verificationQueue(db, ctx.viewerOf(request), request.query)).map((item) => ({
          incident: presentIncident(item.incident),
          score: item.score,
          reasons: item.reasons,
        })),
    );

    const ViolationQuery = z.object({
      agreement: z.string().max(100).optional(),
      from: Day.optional(),
      to: Day.optional(),
      format: Format,
    });
    app.get(
      '/violations',
      { schema: { tags: ['violations'], querystring: ViolationQuery } },
      async (request, reply) => {
        const { agreement, from, to, format } = request.query;
        const result = await violations(db, ctx.viewerOf(request), {
          ...(agreement ? { agreementId: agreement } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        });
        if (format === 'csv') {
          return reply.type('text/csv; charset=utf-8').send(
            toCsv(result.register, [
              ['party', (r) => r.partyId],
              ['week', (r) => r.week],
              ['attributed_violations', (r) => r.count],
              ['incident_ids', (r) => r.incidentIds.join(' ')],
            ]),
          );
        }
        return {
          register: result.register,
          candidates: result.candidates.map((c) => ({
            ...c,
            incident: camelize(c.incident),
            attribution: c.attribution && camelize(c.attribution),
          })),
        };
      },
    );
    app.post(
      '/violations',
      { schema: { tags: ['violations'], body: z.record(z.string(), z.unknown()) } },
      async (request, reply) =>
        reply.status(201).send(camelize(await attributeViolation(store, by(request), request.body))),
    );

    const CrossingQuery = z.object({ asOf: z.iso.datetime().optional(), format: Format });
    app.get(
      '/crossings',
      { schema: { tags: ['crossings'], querystring: CrossingQuery } },
      async (request, reply) => {
        const board = await crossingsBoard(db, request.query.asOf);
        if (request.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').send(
            toCsv(board, [
              ['crossing', (b) => b.crossing.name],
              ['kind', (b) => b.crossing.crossing_kind],
              ['status', (b) => b.current?.status ?? 'unknown'],
              ['since', (b) => b.current?.since],
              ['moves', (b) => (b.current?.moves as string[] | undefined)?.join(' ')],
              ['days_closed', (b) => b.daysClosed],
              ['stranded', (b) => b.current?.stranded],
              ['trucks_queued', (b) => b.current?.trucks_queued],
              ['observer_present', (b) => b.current?.observer_present],
            ]),
          );
        }
        return board.map((b) => ({
          ...camelize(b.crossing),
          current: b.current && camelize(b.current),
          daysClosed: b.daysClosed,
          history: b.history.map(camelize),
          plans: b.plans.map((p) => ({ ...camelize(p), phases: p.phases.map(camelize) })),
        }));
      },
    );
    app.post(
      '/crossings/:id/plans',
      {
        schema: {
          tags: ['crossings'],
          params: z.object({ id: z.string().max(100) }),
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request, reply) => {
        const { plan, phases } = await createReopeningPlan(store, by(request), {
          ...request.body,
          placeId: request.params.id,
        });
        return reply.status(201).send({ ...camelize(plan), phases: phases.map(camelize) });
      },
    );
    app.post(
      '/reopening-plans/:id/phases/:ordinal/begin',
      {
        schema: {
          tags: ['crossings'],
          params: z.object({ id: z.string().max(100), ordinal: z.coerce.number().int() }),
          body: z.object({ beganOn: z.string() }),
        },
      },
      async (request) =>
        camelize(
          await beginPhase(store, by(request), {
            planId: request.params.id,
            ordinal: request.params.ordinal,
            beganOn: request.body.beganOn,
          }),
        ),
    );

    const CommitmentQuery = z.object({ overdue: z.enum(['true', 'false']).optional(), format: Format });
    app.get(
      '/commitments',
      { schema: { tags: ['commitments'], querystring: CommitmentQuery } },
      async (request, reply) => {
        const rows = await commitmentsRegister(db, ctx.viewerOf(request), {
          overdue: request.query.overdue === 'true',
        });
        if (request.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').send(
            toCsv(rows, [
              ['id', (c) => c.id],
              ['party', (c) => c.party_id],
              ['commitment', (c) => c.text],
              ['due_on', (c) => c.due_on],
              ['status', (c) => c.status],
              ['overdue', (c) => c.overdue],
              ['evidence', (c) => c.evidence],
            ]),
          );
        }
        return rows.map(camelize);
      },
    );
    app.post(
      '/commitments/:id/decision',
      {
        schema: {
          tags: ['commitments'],
          params: z.object({ id: z.string().max(100) }),
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request) =>
        camelize(
          await decideCommitment(store, by(request), { ...request.body, commitmentId: request.params.id }),
        ),
    );
  };
}
