/** Verification statuses and the moves between them (CODEBOOK § Verification). */
import { z } from 'zod';
import { TruceError } from './errors.ts';

export const STATUSES = ['reported', 'corroborated', 'verified', 'disputed', 'refuted'] as const;
export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

/**
 * Allowed moves. `disputed` and `refuted` are reachable at any time; a refuted incident
 * can be reopened (new evidence) back to reported or disputed, never straight to verified.
 */
const ALLOWED: Record<Status, readonly Status[]> = {
  reported: ['corroborated', 'verified', 'disputed', 'refuted'],
  corroborated: ['reported', 'verified', 'disputed', 'refuted'],
  verified: ['disputed', 'refuted', 'corroborated'],
  disputed: ['reported', 'corroborated', 'verified', 'refuted'],
  refuted: ['reported', 'disputed'],
};

export function canMove(from: Status, to: Status): boolean {
  return ALLOWED[from].includes(to);
}

export type Corroboration = { sources: number; independentOfBeneficiary: number; corroborated: boolean };

/**
 * CODEBOOK: corroborated = two or more sources, at least one not affiliated with the party
 * that benefits. The beneficiary of an allegation is the target's party (it gains from the
 * attack being believed); with no target party, any affiliated source counts as interested.
 */
export function corroboration(
  sources: readonly { id: string; affiliation: string | null }[],
  beneficiary: string | null,
): Corroboration {
  const distinct = new Map(sources.map((source) => [source.id, source.affiliation]));
  let independent = 0;
  for (const affiliation of distinct.values()) {
    const interested = affiliation !== null && (beneficiary === null || affiliation === beneficiary);
    if (!interested) independent += 1;
  }
  return {
    sources: distinct.size,
    independentOfBeneficiary: independent,
    corroborated: distinct.size >= 2 && independent >= 1,
  };
}

export function assertMove(from: Status, to: Status, opts: { evidence: number }): void {
  if (from === to) throw new TruceError('conflict', `incident is already ${to}`, { field: 'status' });
  if (!canMove(from, to)) {
    throw new TruceError('conflict', `cannot move an incident from ${from} to ${to}`, { field: 'status' });
  }
  // CODEBOOK: verified = a monitor confirmed on the ground or with imagery, with evidence attached.
  if (to === 'verified' && opts.evidence === 0) {
    throw new TruceError('invalid_input', 'verifying needs at least one piece of evidence', {
      field: 'evidence',
    });
  }
}

/** Contradictions between claims that make an incident disputed (CODEBOOK: type, actor, or whether it happened). */
export function contradiction(
  asserted: readonly { type?: string; actorId?: string; happened?: boolean }[],
): string | null {
  const happened = new Set(asserted.map((a) => a.happened).filter((v) => v !== undefined));
  if (
    happened.has(false) &&
    (happened.has(true) || asserted.length > asserted.filter((a) => a.happened === false).length)
  ) {
    return 'sources contradict on whether it happened';
  }
  if (new Set(asserted.map((a) => a.actorId).filter(Boolean)).size > 1)
    return 'sources name different actors';
  if (new Set(asserted.map((a) => a.type).filter(Boolean)).size > 1) return 'sources give different types';
  return null;
}

/**
 * The status move claims make on their own: only ever toward caution (to disputed on conflicting
 * claims or figures, to corroborated when the claims corroborate); verified and refuted are a monitor's call.
 */
export function automaticMove(
  status: Status,
  facts: {
    figuresDisputed: boolean;
    asserted: readonly { type?: string; actorId?: string; happened?: boolean }[];
    corroboration: Corroboration;
  },
): { to: Status; reason: string } | null {
  const conflict = facts.figuresDisputed
    ? 'casualty figures conflict beyond low ≤ best ≤ high'
    : contradiction(facts.asserted);
  if (conflict && (status === 'reported' || status === 'corroborated'))
    return { to: 'disputed', reason: conflict };
  if (status === 'reported' && facts.corroboration.corroborated) {
    const c = facts.corroboration;
    return {
      to: 'corroborated',
      reason: `${c.sources} sources, ${c.independentOfBeneficiary} not affiliated with the party that benefits`,
    };
  }
  return null;
}
