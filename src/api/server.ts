/** Builds the HTTP server: Fastify with zod-validated routes, OpenAPI at /openapi.json, one error table. */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Viewer } from '../access/viewer.ts';
import type { Instance } from '../instance.ts';
import { registerTurns } from './admission.ts';
import { registerAuth } from './auth.ts';
import type { ApiContext } from './context.ts';
import { errorHandler } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { aggregateRoutes } from './routes/aggregate.ts';
import { documentRoutes } from './routes/documents.ts';
import { exchangeRoutes } from './routes/exchange.ts';
import { exportRoutes } from './routes/export.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { mechanismRoutes } from './routes/mechanism.ts';
import { mechanismWorkRoutes } from './routes/mechanismWork.ts';
import { referenceRoutes } from './routes/reference.ts';
import { reportRoutes } from './routes/reports.ts';
import { warningRoutes } from './routes/warning.ts';
import { registerSecurityHeaders } from './security.ts';
import { DEFAULT_WEB_ROOT, registerConsole } from './static.ts';

export const BODY_LIMIT = 1024 * 1024;

export type ServerOptions = {
  instance: Instance;
  logger?: boolean;
  /** In-process embedding and tests only: decide the viewer instead of reading credentials. */
  trustedViewer?: (request: FastifyRequest) => Viewer;
  /** The built console to serve under /console/: default web/dist when it exists; null serves none. */
  webRoot?: string | null;
};

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: BODY_LIMIT,
    // Clients see a stable error body, never Fastify's default one.
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}` } }),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Truce API',
        version: '0.1.0',
        description: 'System of record of a ceasefire monitoring and verification mechanism.',
      },
    },
    transform: jsonSchemaTransform,
  });

  // First of the hooks, so that resolving credentials waits its turn too.
  if (options.instance.store.engine === 'pglite') registerTurns(app);
  registerAuth(app, options.instance, options.trustedViewer);
  registerSecurityHeaders(app);
  const ctx: ApiContext = { instance: options.instance, viewerOf: (request) => request.principal.viewer };
  app.get('/health', { config: { access: 'open' }, schema: { hide: true } }, async () => {
    await options.instance.store.pool.query('SELECT 1');
    return { ok: true, engine: options.instance.store.engine };
  });
  await app.register(accountRoutes(ctx));
  await app.register(referenceRoutes(ctx));
  await app.register(documentRoutes(ctx));
  await app.register(incidentRoutes(ctx));
  await app.register(mechanismRoutes(ctx));
  await app.register(mechanismWorkRoutes(ctx));
  await app.register(exchangeRoutes(ctx));
  await app.register(ledgerRoutes(ctx));
  await app.register(exportRoutes(ctx));
  await app.register(warningRoutes(ctx));
  await app.register(reportRoutes(ctx));
  await app.register(aggregateRoutes(ctx));
  await registerConsole(app, options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot);
  app.get('/openapi.json', { config: { access: 'open' }, schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
