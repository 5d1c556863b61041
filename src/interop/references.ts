/**
 * The reference rows an import points at (parties, actors, sources), loaded once into memory;
 * names in rows resolve here, and actors or sources a row needs that do not exist yet are kept
 * as unsaved rows until the batch that first uses them commits.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SourceKind } from '../domain/figure.ts';
import { ActorInputSchema, SourceInputSchema } from '../domain/party.ts';
import { parseInput } from '../record/parse.ts';
import type { Write } from '../record/transaction.ts';
import type { ActorRow, Database, SourceRow } from '../store/schema.ts';
import type { ActorKind, References, ResolvedActor, ResolvedSource } from './event.ts';
import { type CompiledActorRule, compileActorRules, type InteropLexicon, outletEntry } from './lexicon.ts';

type Unsaved =
  | { kind: 'actor.created'; id: string; row: Omit<ActorRow, 'ledger_seq'> }
  | { kind: 'source.created'; id: string; row: Omit<SourceRow, 'ledger_seq'> };

/** A ReferenceBook as plain data, for a worker thread. */
export type ReferenceSnapshot = {
  parties: string[];
  actors: ResolvedActor[];
  sources: ResolvedSource[];
  unsaved: Unsaved[];
  lexicon: InteropLexicon;
};

/** Names already keyed: a dataset names the same few actors and outlets on most of its rows. */
const KEYED = new Map<string, string>();
const KEYED_MAX = 4096;

/** Case, accents and punctuation do not make a different actor or outlet. */
export function nameKey(name: string): string {
  let key = KEYED.get(name);
  if (key === undefined) {
    key = name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (KEYED.size >= KEYED_MAX) KEYED.clear();
    KEYED.set(name, key);
  }
  return key;
}

/** A readable id from a name; long or non-Latin names get a hash so ids stay short and distinct. */
export function slugId(prefix: string, name: string): string {
  const slug = nameKey(name);
  const short = slug.slice(0, 60).replace(/-+$/, '');
  if (short !== '' && short === slug) return `${prefix}.${slug}`;
  const hash = createHash('sha256').update(name.trim(), 'utf8').digest('hex').slice(0, 10);
  return `${prefix}.${short === '' ? 'x' : short}-${hash}`;
}

export class ReferenceBook implements References {
  readonly #parties: Set<string>;
  readonly #actors = new Map<string, ResolvedActor>();
  readonly #actorByName = new Map<string, string>();
  readonly #sources = new Map<string, ResolvedSource>();
  readonly #sourceByName = new Map<string, string>();
  readonly #unsaved = new Map<string, Unsaved>();
  #created: Unsaved[] = [];
  readonly #rules: CompiledActorRule[];
  readonly #lexicon: InteropLexicon;

  private constructor(parties: Set<string>, lexicon: InteropLexicon) {
    this.#parties = parties;
    this.#lexicon = lexicon;
    this.#rules = compileActorRules(lexicon.actors);
  }

  static async load(db: Kysely<Database>, lexicon: InteropLexicon): Promise<ReferenceBook> {
    const parties = (await db.selectFrom('parties').select('id').execute()).map((p) => p.id);
    const actors = (await db.selectFrom('actors').select(['id', 'name', 'kind', 'party_id']).execute()).map(
      (a) => ({ id: a.id, name: a.name, kind: a.kind, partyId: a.party_id }),
    );
    const sources = (
      await db.selectFrom('sources').select(['id', 'name', 'kind', 'affiliation']).execute()
    ).map((s) => ({ id: s.id, name: s.name, kind: s.kind as SourceKind, affiliation: s.affiliation }));
    return ReferenceBook.fromSnapshot({ parties, actors, sources, unsaved: [], lexicon });
  }

  /** A book holding what `snapshot` saw: how a worker thread resolves names exactly as this thread would. */
  static fromSnapshot(snapshot: ReferenceSnapshot): ReferenceBook {
    const book = new ReferenceBook(new Set(snapshot.parties), snapshot.lexicon);
    for (const actor of snapshot.actors) book.#remember(actor);
    for (const source of snapshot.sources) book.#rememberSource(source);
    for (const u of snapshot.unsaved) book.adopt([u]);
    return book;
  }

  /** What the book knows, as plain data (a worker thread's copy is built from it). */
  snapshot(): ReferenceSnapshot {
    return {
      parties: [...this.#parties],
      actors: [...this.#actors.values()],
      sources: [...this.#sources.values()],
      unsaved: [...this.#unsaved.values()],
      lexicon: this.#lexicon,
    };
  }

  /** The rows created since the last call, in order (a worker reports them with the record that made them). */
  takeCreated(): Unsaved[] {
    const created = this.#created;
    this.#created = [];
    return created;
  }

  /** Takes on rows another book created (see takeCreated), to be written with the first batch that needs them. */
  adopt(created: readonly Unsaved[]): void {
    for (const u of created) {
      if (u.kind === 'actor.created') {
        this.#remember({ id: u.id, name: u.row.name, kind: u.row.kind, partyId: u.row.party_id });
        this.#unsaved.set(`actors:${u.id}`, u);
      } else {
        const row = u.row;
        this.#rememberSource({
          id: u.id,
          name: row.name,
          kind: row.kind as SourceKind,
          affiliation: row.affiliation,
        });
        this.#unsaved.set(`sources:${u.id}`, u);
      }
    }
  }

  #remember(actor: ResolvedActor): void {
    this.#actors.set(actor.id, actor);
    const key = nameKey(actor.name);
    if (!this.#actorByName.has(key)) this.#actorByName.set(key, actor.id);
  }

  #rememberSource(source: ResolvedSource): void {
    this.#sources.set(source.id, source);
    const key = nameKey(source.name);
    if (!this.#sourceByName.has(key)) this.#sourceByName.set(key, source.id);
  }

  /** An id not taken by a record of another name (two names can share a slug). */
  #freeId(prefix: string, name: string, taken: Map<string, { name: string }>): string {
    const id = slugId(prefix, name);
    const holder = taken.get(id);
    if (!holder || nameKey(holder.name) === nameKey(name)) return id;
    return `${id}-${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6)}`;
  }

  actor(name: string, kind: ActorKind, on: string): ResolvedActor {
    const trimmed = name.trim();
    for (const rule of this.#rules) {
      if (rule.from && on < rule.from) continue;
      if (rule.to && on > rule.to) continue;
      const known = this.#actors.get(rule.actorId);
      if (known && rule.re.test(trimmed)) return known;
    }
    const byName = this.#actorByName.get(nameKey(trimmed));
    if (byName) return this.#actors.get(byName)!;
    const input = parseInput(
      ActorInputSchema,
      { id: this.#freeId('act', trimmed, this.#actors), name: trimmed.slice(0, 200), kind },
      'actor',
    );
    const actor: ResolvedActor = { id: input.id, name: input.name, kind: input.kind, partyId: null };
    this.#remember(actor);
    const created: Unsaved = {
      kind: 'actor.created',
      id: actor.id,
      row: { id: actor.id, name: actor.name, kind: actor.kind, party_id: null },
    };
    this.#unsaved.set(`actors:${actor.id}`, created);
    this.#created.push(created);
    return actor;
  }

  datasetSource(spec: {
    id: string;
    name: string;
    kind: SourceKind;
    reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  }): ResolvedSource {
    // The operator may have re-classified the dataset's source: the row in the database wins.
    return this.#sources.get(spec.id) ?? this.#newSource({ ...spec, affiliation: null });
  }

  outlet(name: string, kind: SourceKind): ResolvedSource {
    const trimmed = name.trim();
    const byName = this.#sourceByName.get(nameKey(trimmed));
    if (byName) return this.#sources.get(byName)!;
    const entry = outletEntry(this.#lexicon.sources, trimmed);
    if (entry) {
      const known = this.#sources.get(entry.id);
      if (known) {
        this.#sourceByName.set(nameKey(trimmed), known.id);
        return known;
      }
      const created = this.#newSource({
        id: entry.id,
        name: entry.name,
        kind: entry.kind,
        affiliation: entry.affiliation,
        reliability: entry.reliability,
      });
      this.#sourceByName.set(nameKey(trimmed), created.id);
      return created;
    }
    // "Dawn; Radio Pakistan": a party's outlet only when every outlet named is that party's.
    const parts = trimmed
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean);
    const entries = parts.map((p) => outletEntry(this.#lexicon.sources, p));
    const affiliations = new Set(entries.map((e) => e?.affiliation ?? null));
    const [only] = affiliations;
    const affiliation = parts.length > 1 && affiliations.size === 1 && only ? only : null;
    const partyKind = affiliation ? entries[0]!.kind : kind;
    return this.#newSource({
      id: this.#freeId('src', trimmed, this.#sources),
      name: trimmed,
      kind: partyKind,
      affiliation,
      reliability: 'F',
    });
  }

  #newSource(spec: {
    id: string;
    name: string;
    kind: SourceKind;
    affiliation: string | null;
    reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  }): ResolvedSource {
    const input = parseInput(
      SourceInputSchema,
      {
        id: spec.id,
        name: spec.name.slice(0, 200),
        kind: spec.kind,
        // An affiliation must name a party of this instance; without it the outlet counts as unaffiliated.
        affiliation: spec.affiliation && this.#parties.has(spec.affiliation) ? spec.affiliation : null,
        reliability: spec.reliability,
      },
      'source',
    );
    const source: ResolvedSource = {
      id: input.id,
      name: input.name,
      kind: input.kind,
      affiliation: input.affiliation,
    };
    this.#rememberSource(source);
    const created: Unsaved = {
      kind: 'source.created',
      id: source.id,
      row: {
        id: source.id,
        name: source.name,
        kind: source.kind,
        affiliation: source.affiliation,
        reliability: input.reliability,
        protected: input.protected,
      },
    };
    this.#unsaved.set(`sources:${source.id}`, created);
    this.#created.push(created);
    return source;
  }

  /** The creations `ids` still need, as ledger commits: sources and actors first written by this batch. */
  unsavedFor(actorIds: Iterable<string>, sourceIds: Iterable<string>): Unsaved[] {
    const out: Unsaved[] = [];
    for (const id of new Set(sourceIds)) {
      const u = this.#unsaved.get(`sources:${id}`);
      if (u) out.push(u);
    }
    for (const id of new Set(actorIds)) {
      const u = this.#unsaved.get(`actors:${id}`);
      if (u) out.push(u);
    }
    return out;
  }

  /** Called once the batch that wrote them has committed. */
  markSaved(saved: readonly Unsaved[]): void {
    for (const u of saved)
      this.#unsaved.delete(`${u.kind === 'actor.created' ? 'actors' : 'sources'}:${u.id}`);
  }

  actorById(id: string): ResolvedActor | undefined {
    return this.#actors.get(id);
  }
}

export type { Unsaved };

/** The ledger write of an unsaved reference row. */
export function referenceWrite(u: Unsaved): Write {
  return { op: 'insert', table: u.kind === 'actor.created' ? 'actors' : 'sources', row: { ...u.row } };
}
