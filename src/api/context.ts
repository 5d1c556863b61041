/** What every route needs: the instance, and who is asking. */
import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../access/viewer.ts';
import type { Instance } from '../instance.ts';

export type ApiContext = {
  instance: Instance;
  /** Who the request is from, as auth.ts resolved it (token, session, or the public). */
  viewerOf(request: FastifyRequest): Viewer;
};

export function actingUser(viewer: Viewer): string {
  return viewer.userId ?? 'anonymous';
}
