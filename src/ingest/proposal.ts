/** What extraction proposes from one document: incidents, claims and accords, every field with its evidence. */
import type { Asserted } from '../domain/claim.ts';
import type { Figure } from '../domain/figure.ts';
import type { IncidentType } from '../domain/incident.ts';
import type { DatePrecision } from './dates.ts';
import type { SourceEntry } from './lexicon.ts';
import type { AccordKind } from './triggers.ts';

/** The sentence that supports a field (offsets into the stored body) and the words that decided it. */
export type Evidence = { start: number; end: number; cue: string };
export type Field<T> = { value: T; evidence: Evidence };

export type ProposedPlace = {
  placeId: string;
  name: string;
  geoPrecision: 1 | 2 | 3;
  country: string;
  admin1: string | null;
};
export type ProposedDate = { day: string; precision: DatePrecision };

export type ProposedFigure = Figure & { evidence: Evidence };

export type ProposedClaim = {
  source: SourceEntry;
  /** How the source was found: "according to", "speaker", "outlet", … */
  how: string;
  span: { start: number; end: number };
  quote: string;
  asserted: Asserted;
  figures: ProposedFigure[];
};

export type ProposedIncident = {
  title: string;
  type: Field<IncidentType>;
  date: Field<ProposedDate>;
  /** null: no place could be read; such a candidate is only ever recorded as a claim on a match. */
  place: Field<ProposedPlace> | null;
  actor: Field<string> | null;
  target: Field<string> | null;
  claims: ProposedClaim[];
};

export type ProposedAccord = {
  kind: AccordKind;
  date: Field<ProposedDate>;
  venue: Field<string> | null;
  claims: { source: SourceEntry; how: string; span: { start: number; end: number }; quote: string }[];
};

export type Extraction = {
  /** The day dates were resolved against, and whether it was the publication day or the ingest day. */
  reference: { day: string; from: 'published' | 'ingest time' };
  sentences: number;
  incidents: ProposedIncident[];
  accords: ProposedAccord[];
};
