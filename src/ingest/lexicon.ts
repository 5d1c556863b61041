/**
 * The shape of an ingest lexicon: how a conflict's press names its parties, actors, sources and
 * venues. The words are data (one lexicon per case, see lexicons/); this module compiles them.
 */
import type { FigureCategory, SourceKind } from '../domain/figure.ts';

export type PartyEntry = {
  id: string;
  name: string;
  role: 'belligerent' | 'mediator' | 'monitor';
  /** Regex sources for words that mark something as this party's ("Pakistani", "Afghan"). */
  demonyms: string[];
  /** The actor a bare mention of the party stands for when it acts ("Pakistan launched strikes"). */
  defaultActor: string;
  /** Gazetteer id of the party's country, the place of last resort ("on Pakistani border posts"). */
  countryPlace: string;
};

export type ActorEntry = {
  id: string;
  name: string;
  kind: 'state_force' | 'non_state' | 'civilians' | 'unknown';
  partyId: string | null;
  /** Regex sources (case-insensitive unless they contain an upper-case-only acronym group). */
  patterns: string[];
};

export type SourceEntry = {
  id: string;
  name: string;
  kind: SourceKind;
  /** The party it speaks for; null when independent (see lexicons/pk-af.ts for the rule used). */
  affiliation: string | null;
  reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  patterns: string[];
};

/** Words that put casualties in a codebook category; order matters (first hit wins). */
export type CategoryCue = { category: FigureCategory; pattern: string; side?: string | null };

export type Lexicon = {
  parties: PartyEntry[];
  actors: ActorEntry[];
  sources: SourceEntry[];
  /** Speakers named only by their side ("Pakistani officials") map to the side's official source. */
  officialSource: Record<string, string>;
  /** Used when a document names no outlet and a sentence no speaker. */
  unattributed: SourceEntry;
  categories: CategoryCue[];
  /** Places outside the gazetteer where talks are held. */
  venues: string[];
  /**
   * Place names the press also uses for a government ("Kabul denies", "Islamabad says"): they count
   * as places only with a locative cue ("in Kabul", "Kabul's outskirts"). Country names always need one.
   */
  metonyms: string[];
};

export type CompiledActor = { entry: ActorEntry; re: RegExp };
export type CompiledSource = { entry: SourceEntry; re: RegExp };

export type CompiledLexicon = {
  lexicon: Lexicon;
  actors: CompiledActor[];
  sources: CompiledSource[];
  /** party id → its demonym regex (anchored nowhere, global). */
  demonyms: { party: PartyEntry; re: RegExp }[];
  categories: { cue: CategoryCue; re: RegExp }[];
  venue: RegExp;
  partyById: Map<string, PartyEntry>;
  actorById: Map<string, ActorEntry>;
  sourceById: Map<string, SourceEntry>;
};

const alt = (patterns: string[]) => `\\b(?:${patterns.join('|')})\\b`;

export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  return {
    lexicon,
    actors: lexicon.actors.map((entry) => ({ entry, re: new RegExp(alt(entry.patterns), 'g') })),
    sources: lexicon.sources.map((entry) => ({ entry, re: new RegExp(alt(entry.patterns), 'g') })),
    demonyms: lexicon.parties.map((party) => ({ party, re: new RegExp(alt(party.demonyms), 'g') })),
    categories: lexicon.categories.map((cue) => ({ cue, re: new RegExp(alt([cue.pattern]), 'i') })),
    venue: new RegExp(alt(lexicon.venues), 'g'),
    partyById: new Map(lexicon.parties.map((p) => [p.id, p])),
    actorById: new Map(lexicon.actors.map((a) => [a.id, a])),
    sourceById: new Map([...lexicon.sources, lexicon.unattributed].map((s) => [s.id, s])),
  };
}

export type Mention<T> = { value: T; start: number; end: number; text: string };

/** Non-overlapping matches of several lexicon regexes, longest first at a tie. */
export function findMentions<T>(text: string, entries: { re: RegExp; value: T }[]): Mention<T>[] {
  const hits: Mention<T>[] = [];
  for (const { re, value } of entries) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      hits.push({ value, start: m.index, end: m.index + m[0].length, text: m[0] });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Mention<T>[] = [];
  for (const hit of hits) {
    const last = out[out.length - 1];
    if (last && hit.start < last.end) continue;
    out.push(hit);
  }
  return out;
}

/** A slug id for a source the lexicon does not know ("The Express Tribune" → "the-express-tribune"). */
export function slugId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'outlet' : slug;
}
