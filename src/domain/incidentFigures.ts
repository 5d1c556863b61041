/** An incident's figures as derived from the claims on it: used when writing, and when a viewer sees only some claims. */
import { FigureSchema, type SourceKind } from './figure.ts';
import { type ClaimedFigure, reconcileFigures } from './reconcile.ts';

/** What reconciliation needs of one claim and its source. */
export type ClaimFacts = {
  id: string;
  source_id: string;
  published_at: string;
  figures: unknown;
  asserted: unknown;
  kind: string;
  affiliation: string | null;
};

export type IncidentFigures = {
  fatalities: ReturnType<typeof split>;
  injuries: ReturnType<typeof split>;
  figures_disputed: boolean;
  fatalities_best: number;
};

function split(reconciled: ReturnType<typeof reconcileFigures>, measure: 'fatalities' | 'injuries') {
  return {
    totals: reconciled.totals[measure],
    groups: reconciled.groups.filter((g) => g.measure === measure),
  };
}

export function figuresOf(claims: readonly ClaimFacts[]): IncidentFigures {
  const figures: ClaimedFigure[] = claims.flatMap((claim) =>
    (claim.figures as unknown[]).map((figure) => ({
      claimId: claim.id,
      sourceId: claim.source_id,
      publishedAt: claim.published_at,
      source: { kind: claim.kind as SourceKind, affiliation: claim.affiliation },
      figure: FigureSchema.parse(figure),
    })),
  );
  const reconciled = reconcileFigures(figures);
  const fatalities = split(reconciled, 'fatalities');
  return {
    fatalities,
    injuries: split(reconciled, 'injuries'),
    figures_disputed: reconciled.disputed,
    fatalities_best: Object.values(fatalities.totals).reduce((sum, t) => sum + t.best, 0),
  };
}
