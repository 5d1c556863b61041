/** What an importer makes of one dataset row: an incident and the claims behind it, before validation and writing. */
import type { Figure, SourceKind } from '../domain/figure.ts';
import type { IncidentType } from '../domain/incident.ts';

export type ActorKind = 'state_force' | 'non_state' | 'civilians' | 'unknown';

/** An actor or source the row points at: already in the database, or to be created with the row's batch. */
export type ResolvedActor = { id: string; name: string; kind: string; partyId: string | null };
export type ResolvedSource = { id: string; name: string; kind: SourceKind; affiliation: string | null };

export type ClaimDraft = {
  source: ResolvedSource;
  publishedAt: string;
  quote: string;
  figures: Figure[];
  credibility: number;
};

export type EventDraft = {
  /** Deterministic, from the dataset's own event id: re-importing a file finds its incidents. */
  id: string;
  type: IncidentType;
  title: string;
  occurredOn: string;
  datePrecision: 'day' | 'week' | 'month';
  lat: number;
  lon: number;
  geoPrecision: 1 | 2 | 3;
  /** ISO 3166-1 alpha-2, and the dataset's own admin names (see docs/interop.md: no gazetteer matching). */
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  actor: ResolvedActor | null;
  target: ResolvedActor | null;
  claims: ClaimDraft[];
};

/** Resolves names in a row to reference records (see references.ts). */
export type References = {
  actor(name: string, kind: ActorKind, on: string): ResolvedActor;
  /** A fixed source a dataset speaks as (UCDP, New America). */
  datasetSource(spec: {
    id: string;
    name: string;
    kind: SourceKind;
    reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  }): ResolvedSource;
  /** An outlet named in a row (ACLED `source`), classified by the lexicon, else by `kind`. */
  outlet(name: string, kind: SourceKind): ResolvedSource;
};

export type ImportFormatName = 'acled' | 'ucdp' | 'new-america';

export type ImportFormat = {
  name: ImportFormatName;
  /** Columns a file must have; a file without one is refused before any row is read. */
  requiredColumns: readonly string[];
  /** Maps one row, or throws a TruceError whose field names the column. */
  toEvent(values: Record<string, string>, refs: References, context: { today: string }): EventDraft;
};
