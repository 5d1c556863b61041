/** /reports/situation: the situation report as the viewer may see it, HTML (no script) or PDF. */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { printPdf } from '../../report/pdf.ts';
import { situationReport } from '../../report/sitrep.ts';
import type { ApiContext } from '../context.ts';

/** The report is static HTML: no script at all, its own inline styles only. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function reportRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    const Query = z.object({
      from: z.iso.date(),
      to: z.iso.date(),
      format: z.enum(['html', 'pdf']).default('html'),
    });
    app.get(
      '/reports/situation',
      { schema: { tags: ['reports'], querystring: Query } },
      async (request, reply) => {
        const { from, to, format } = request.query;
        const report = await situationReport(ctx.instance.store.db, ctx.viewerOf(request), { from, to });
        reply.header('x-tlp', report.tlp).header('content-security-policy', REPORT_CSP);
        if (format === 'html') return reply.type('text/html; charset=utf-8').send(report.html);
        const dir = mkdtempSync(join(tmpdir(), 'truce-pdf-'));
        try {
          const file = join(dir, 'report.pdf');
          await printPdf(report.html, file);
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="truce-sitrep-${from}-${to}.pdf"`)
            .send(readFileSync(file));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  };
}
