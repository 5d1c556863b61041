/** Who is asking: the one input of the access policy. */
export type Role = 'admin' | 'monitor' | 'analyst' | 'delegate' | 'public';

export type Viewer = {
  role: Role;
  /** The user, when logged in; RED records name users. */
  userId: string | null;
  /** A delegate's party. */
  partyId: string | null;
};

export const PUBLIC: Viewer = { role: 'public', userId: null, partyId: null };
/** The mechanism's own processes (seeding, imports, CLI run by the operator). */
export const MECHANISM: Viewer = { role: 'admin', userId: 'system', partyId: null };

export function isMechanism(viewer: Viewer): boolean {
  return viewer.role === 'admin' || viewer.role === 'monitor' || viewer.role === 'analyst';
}
