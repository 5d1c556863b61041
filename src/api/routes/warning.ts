/** /warning/escalation, /warning/chains, /warning/forecast: early warning over HTTP, read through the viewer. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chainsReport, escalationReport, forecastReport } from '../../analysis/warning.ts';
import type { ApiContext } from '../context.ts';

const Day = z.iso.date();
const Period = z.object({ from: Day.optional(), to: Day.optional() });

export function warningRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.instance.store.db;

    app.get(
      '/warning/escalation',
      {
        schema: {
          tags: ['early warning'],
          description:
            'Daily escalation index (documented weights, see docs/early-warning.md) and its 7-day trailing mean; default the last 90 days.',
          querystring: Period,
        },
      },
      async (request) => escalationReport(db, ctx.viewerOf(request), request.query),
    );

    app.get(
      '/warning/chains',
      {
        schema: {
          tags: ['early warning'],
          description:
            'Retaliation links on the record, and inferred candidates (other side, within maxDays and maxKm, retaliation wording) with score and reason.',
          querystring: Period.extend({
            maxDays: z.coerce.number().int().min(0).max(30).optional(),
            maxKm: z.coerce.number().positive().max(1000).optional(),
          }),
        },
      },
      async (request) => chainsReport(db, ctx.viewerOf(request), request.query),
    );

    app.get(
      '/warning/forecast',
      {
        schema: {
          tags: ['early warning'],
          description:
            'Bivariate Hawkes fit (μ, α, branching ratio, half-life, who answers whom) and a per-side forecast of daily incident counts with 80 % and 95 % intervals.',
          querystring: Period.extend({
            days: z.coerce.number().int().min(1).max(60).default(7),
            paths: z.coerce.number().int().min(100).max(10_000).default(1000),
            seed: z.coerce
              .number()
              .int()
              .min(0)
              .max(2 ** 31)
              .default(1),
          }),
        },
      },
      async (request) => forecastReport(db, ctx.viewerOf(request), request.query),
    );
  };
}
