/** POST /documents/ingest: reads one article, statement or field report into proposed incidents and claims. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TlpSchema } from '../../domain/tlp.ts';
import { type Gazetteer, loadGazetteer } from '../../gazetteer/gazetteer.ts';
import { presentIngest } from '../../ingest/explain.ts';
import { createExtractor, type Extractor } from '../../ingest/extract.ts';
import { ingestDocument } from '../../ingest/ingest.ts';
import { type ApiContext, actingUser } from '../context.ts';

export const IngestBodySchema = z.object({
  text: z
    .string()
    .min(1)
    .max(1_000_000)
    .describe(
      'the document: plain text, Markdown or HTML, optionally with a url:/title:/published:/outlet: header',
    ),
  format: z.enum(['text', 'markdown', 'html']).optional(),
  title: z.string().max(500).optional(),
  url: z.string().max(2000).optional(),
  outlet: z.string().max(200).optional(),
  publishedAt: z.string().max(40).optional().describe('YYYY-MM-DD or an ISO instant'),
  tlp: TlpSchema.optional(),
  recipients: z.array(z.string().min(1).max(100)).max(50).optional(),
  dryRun: z.boolean().optional(),
});

export function documentRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Built once per server: the gazetteer index and compiled lexicon are the costly part of a first request.
    let reader: { gazetteer: Gazetteer; extractor: Extractor } | null = null;
    app.post(
      '/documents/ingest',
      { schema: { tags: ['documents'], body: IngestBodySchema } },
      async (request, reply) => {
        if (!reader) {
          const gazetteer = loadGazetteer();
          reader = { gazetteer, extractor: createExtractor(gazetteer) };
        }
        const { text, format, title, url, outlet, publishedAt, tlp, recipients, dryRun } = request.body;
        const result = await ingestDocument(
          {
            content: text,
            ...(format ? { format } : {}),
            meta: {
              ...(title ? { title } : {}),
              ...(url ? { url } : {}),
              ...(outlet ? { outlet } : {}),
              ...(publishedAt ? { publishedAt } : {}),
            },
            ...(tlp ? { tlp } : {}),
            ...(recipients ? { recipients } : {}),
            dryRun: dryRun ?? false,
          },
          { store: ctx.instance.store, ...reader, by: actingUser(ctx.viewerOf(request)) },
        );
        return reply.status(result.duplicate || dryRun ? 200 : 201).send(presentIngest(result));
      },
    );
  };
}
