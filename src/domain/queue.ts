/** What needs a monitor's decision first: each open incident gets a score and the reasons behind it. */

export type QueueFacts = {
  status: string;
  figuresDisputed: boolean;
  fatalitiesBest: number;
  sources: number;
  /** Agreements in force at the time with no attribution decision yet. */
  pendingAgreements: number;
};

export type Priority = { score: number; reasons: string[] };

/**
 * Weights, highest first: an unattributed candidate violation (a penalty may rest on it), a
 * contested incident, a new one nobody has looked at, then casualties. Documented here because
 * the order of a monitor's day is itself a decision others may question.
 */
export function priorityOf(facts: QueueFacts): Priority {
  const reasons: string[] = [];
  let score = 0;
  if (facts.pendingAgreements > 0) {
    score += 40;
    reasons.push(
      `candidate violation of ${facts.pendingAgreements} agreement(s) in force, not yet attributed`,
    );
  }
  if (facts.status === 'disputed' || facts.figuresDisputed) {
    score += 30;
    reasons.push(facts.status === 'disputed' ? 'disputed' : 'casualty figures conflict');
  }
  if (facts.status === 'reported') {
    score += 20;
    reasons.push(facts.sources <= 1 ? 'new: one source' : 'new');
  }
  if (facts.status === 'corroborated') {
    score += 10;
    reasons.push('corroborated, awaiting verification');
  }
  if (facts.fatalitiesBest > 0) {
    // Log-scaled so a mass-casualty event outranks, but does not drown, everything else.
    score += Math.min(20, Math.round(5 * Math.log10(1 + facts.fatalitiesBest) * 2));
    reasons.push(`${facts.fatalitiesBest} killed (best estimate)`);
  }
  return { score, reasons };
}
