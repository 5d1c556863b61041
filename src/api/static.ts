/** Serves the built console (web/dist) from the API server, with no network fetches at run time. */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** Placeholder until the console lands: reports whether a build exists. */
export async function registerConsole(app: FastifyInstance, webRoot: string): Promise<boolean> {
  if (!existsSync(webRoot)) return false;
  app.log.info({ webRoot }, 'console build found but not served yet');
  return false;
}
