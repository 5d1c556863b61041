/**
 * Who claims what a sentence says: "according to X", "X said", "said X", "X told Reuters". The
 * speaker, not the outlet that carried the words, is the claim's source ("Mujahid told Reuters" is
 * Mujahid's claim). "He said" / "the statement added" continue the previous sentence's speaker. A
 * sentence with no speaker is the outlet's own claim.
 *
 * Speakers the lexicon does not name are read by three general rules (no party words here: the
 * parties' demonyms come from the lexicon):
 *   1. Role speakers. An official role noun (official, spokesman, commander, governor, police chief,
 *      authorities, administration, ministry, department, sources, commissioner, …) with its
 *      modifiers ("a provincial police spokesman", "the post commander", "customs officials") is an
 *      official of a party: the party whose demonym is in the phrase ("Pakistani security sources"),
 *      else the country of a place named in or right after it ("officials in Chaman", "Landi Kotal
 *      Assistant Commissioner"), else — left `pending` here — the country of the incident the
 *      sentence is about (extract.ts resolves it). Its source is the party's official source.
 *      A definite role with no party ("the ministry", "the official said") is the latest speaker
 *      whose phrase had the same head noun (extract.ts keeps that memory).
 *      Non-official people (residents, witnesses, hospital staff) are not role speakers: one who
 *      "told Reuters" leaves Reuters as the source (the carrier), as before.
 *   2. Party speakers. A party's bare name or demonym, optionally with "government / authorities /
 *      administration", as the subject of a speech verb ("The Taliban denied…", "Pakistan's
 *      government said…") is the party's official source.
 *   3. Named bodies. A capitalised name ending in a body noun (Board, Council, Society, Crescent,
 *      Commission, Chamber…) that speaks is its own source, id = slug of the name ("the
 *      Afghanistan Cricket Board said" → afghanistan-cricket-board): kind `ngo`, no affiliation,
 *      reliability F (unjudged), for a monitor to classify. Organs of state (ministry, department,
 *      police…) are role speakers (rule 1), never named bodies.
 * Denial verbs (denied, rejected, dismissed) are speech verbs: the denier is the speaker.
 */
import { type CompiledLexicon, findMentions, type Mention, type SourceEntry, slugId } from './lexicon.ts';

const SPEECH =
  '(?:said|says|say|claimed|claims|told|tells|stated|states|added|reported|reports|announced|confirmed|wrote|posted|tweeted|alleged|insisted|maintained|quoted|cited|put|estimated|acknowledged|admitted|den(?:y|ies|ied)|rejected|rejects|dismissed|dismisses|blamed|blames|accused|accuses)';
const SPEECH_ANY = new RegExp(`\\b(?:${SPEECH}|according\\s+to|statement)\\b`, 'i');
const SPEECH_AFTER = new RegExp(`^[^.;:]{0,40}?\\b${SPEECH}\\b`, 'i');
/** A role or party speaker: the speech verb follows within a few words (an apposition or "in Chaman"). */
const SPEECH_NEAR = new RegExp(
  `^(?:\\s+[\\p{Lu}][\\p{L}'’-]*){0,3}(?:\\s*\\([^)]{1,30}\\))?(?:,[^,.;]{1,60},)?(?:\\s+(?:in|of|at|from)\\s+[\\p{Lu}][\\p{L}'’-]*(?:\\s+[\\p{Lu}][\\p{L}'’-]*){0,2})?(?:\\s+(?:has|have|had|also|later|on\\s+\\w+day))*\\s+${SPEECH}\\b`,
  'iu',
);
const SPEECH_BEFORE = new RegExp(`\\b${SPEECH}\\s+(?:by\\s+)?$`, 'i');
const ACCORDING = /\baccording\s+to\s+(?:a\s+statement\s+(?:from|by)\s+)?$/i;
const STATEMENT_FROM = /\b(?:a|the)\s+statement\s+(?:from|by|of)\s+$/i;
const TOLD = /\btold\s+$/i;
const CONTINUES =
  /^(?:"|“)?(?:he|she|it|they|the\s+(?:spokesman|spokeswoman|statement|ministry|military|army|official|officials|report|agency|group))\s+(?:also\s+|further\s+|later\s+)?(?:said|says|added|claimed|told|stated|wrote)\b|,\s+(?:he|she|it|they)\s+(?:said|added|wrote)\.?$/i;

/** Words spelled with either case of their first letter ("Spokesman" in a title, "spokesman" in a sentence). */
const anyCase = (words: string[]) =>
  `(?:${words.map((w) => w.replace(/(^|\\s\+|\(\?:|\|)([a-z])/g, (_m, pre: string, c: string) => `${pre}[${c}${c.toUpperCase()}]`)).join('|')})`;

/** Official role heads (rule 1). Generic English: the words of office, not of any party. */
const ROLE_HEAD = anyCase([
  'officials?',
  'spokes(?:man|woman|person|men)',
  'commanders?',
  'governor',
  'police\\s+chief',
  'chief',
  'authorities',
  'administration',
  'sources',
  'officers?',
  'ministers?',
  'ministry',
  'department',
  'directorate',
  'assistant\\s+commissioner',
  'deputy\\s+commissioner',
  'commissioner',
  'police',
]);
const ROLE_MOD = anyCase(
  (
    'senior local provincial district security police military army border government health customs ' +
    'intelligence hospital sector post brigade deputy top interior defence defense foreign information home ' +
    'public relations press frontier regional tribal federal state other two three several some unnamed anonymous'
  ).split(' '),
);
const PROPER = "[\\p{Lu}][\\p{L}'’-]*";
/** The remainder of a "Ministry of Information" style name. */
const OF_NAME = `(?:\\s+of\\s+${PROPER}(?:\\s+(?:and\\s+)?${PROPER}){0,3})?`;
/** Heads of bodies that are not organs of state (rule 3). */
const BODY_HEAD =
  '(?:Board|Council|Committee|Society|Association|Federation|Union|Chamber|Foundation|Crescent|Cross|Institute|Commission|Network|Organi[sz]ation|Trust|Centre|Center)';
const BODY = new RegExp(`\\b(?:[Tt]he\\s+)?((?:${PROPER}\\s+){1,5}${BODY_HEAD}${OF_NAME})`, 'gu');
/** "'s (interim | <demonym>) government": the party's own words come from the lexicon. */
const government = (demonyms: string) =>
  `(?:(?:'s|’s)?\\s+(?:(?:${demonyms}|interim|de\\s+facto|caretaker|federal)\\s+)?(?:government|administration|authorities|leadership))?`;

export type Attribution = {
  source: SourceEntry;
  mention: Mention<SourceEntry> | null;
  how: string;
  /**
   * A role speaker whose party this sentence does not tell: extract.ts gives it the official source
   * of the country of the incident the claim is about. `source` is then only the fallback (the
   * carrier who was told, or the outlet).
   */
  pending?: boolean;
  /** Head noun of a role speaker ("ministry", "commander"), for "the ministry said" later on. */
  head?: string;
};

/** What the role / party / body rules need from the rest of the extractor. */
export type SpeakerContext = {
  /** Party of the country of a place named in `text` (a gazetteer lookup), or null. */
  placeParty: (text: string) => string | null;
  /** Role speakers resolved earlier in the document, by head noun. */
  byHead?: ReadonlyMap<string, Attribution>;
};

type Candidate = {
  start: number;
  end: number;
  text: string;
  /** A lexicon source mention, or (general rules) how to build the attribution once it speaks. */
  mention?: Mention<SourceEntry>;
  make?: () => Attribution;
};

export function findSpeakers(text: string, lexicon: CompiledLexicon): Mention<SourceEntry>[] {
  return findMentions(
    text,
    lexicon.sources.map((s) => ({ re: s.re, value: s.entry })),
  );
}

const compiled = new WeakMap<CompiledLexicon, { role: RegExp; party: RegExp }>();

function ruleRegexes(lexicon: CompiledLexicon): { role: RegExp; party: RegExp } {
  let hit = compiled.get(lexicon);
  if (!hit) {
    const demonyms = lexicon.lexicon.parties.flatMap((p) => p.demonyms).join('|');
    // (a|the) [Demonym('s)] [Proper names and modifiers] HEAD [of Name]
    const role = new RegExp(
      `\\b(?:(?:[Aa]n?|[Tt]he)\\s+)?(?:(?:${demonyms})\\s+)?(?:(?:${ROLE_MOD}|${PROPER})\\s+){0,4}?${ROLE_HEAD}\\b${OF_NAME}`,
      'gu',
    );
    const party = new RegExp(`\\b(?:[Tt]he\\s+)?(?:${demonyms})${government(demonyms)}`, 'gu');
    hit = { role, party };
    compiled.set(lexicon, hit);
  }
  return hit;
}

function partyInPhrase(phrase: string, lexicon: CompiledLexicon): string | null {
  for (const { party, re } of lexicon.demonyms) {
    re.lastIndex = 0;
    if (re.test(phrase)) return party.id;
  }
  return null;
}

function officialSource(party: string, lexicon: CompiledLexicon): SourceEntry | undefined {
  return lexicon.sourceById.get(lexicon.lexicon.officialSource[party] ?? '');
}

/** The head noun of a role phrase, singular and lower case ("Ministry of Information" → "ministry"). */
function headOf(phrase: string): string {
  const words = phrase
    .replace(/\s+of\s+.*$/, '')
    .trim()
    .toLowerCase()
    .split(/\s+/);
  const last = words[words.length - 1] ?? '';
  return last.replace(/men$/, 'man').replace(/ies$/, 'y').replace(/s$/, '');
}

/** Role, party and body speakers of the general rules (lexicon sources are found separately). */
function ruleSpeakers(
  text: string,
  lexicon: CompiledLexicon,
  context: SpeakerContext,
  fallback: () => SourceEntry,
): Candidate[] {
  const out: Candidate[] = [];
  const { role, party } = ruleRegexes(lexicon);
  role.lastIndex = 0;
  for (let m = role.exec(text); m; m = role.exec(text)) {
    const phrase = m[0];
    // "said" must not be read as part of the phrase, and a bare "chief" or "police" needs a modifier.
    if (/^(?:the\s+|an?\s+)?(?:chief|police|sources|officers?|other)$/i.test(phrase)) continue;
    const start = m.index;
    const end = m.index + phrase.length;
    const head = headOf(phrase);
    const after = text.slice(end, end + 60);
    const inPlace = /^\s+(?:in|of|at|from)\s+([\p{Lu}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*){0,2})/u.exec(
      after,
    );
    out.push({
      start,
      end,
      text: phrase,
      // The party is read only for the phrase that turns out to speak (place lookups are costly).
      make: () => {
        const partyId =
          partyInPhrase(phrase, lexicon) ??
          context.placeParty(phrase) ??
          (inPlace ? context.placeParty(inPlace[1]!) : null);
        const definite = /^the\s/i.test(phrase) && partyId === null;
        const earlier = definite ? context.byHead?.get(head) : undefined;
        if (earlier) return { ...earlier, how: `the ${head} named earlier`, pending: false };
        const source = partyId ? officialSource(partyId, lexicon) : undefined;
        if (source) return { source, mention: null, how: `role speaker (${phrase.trim()})`, head };
        return {
          source: fallback(),
          mention: null,
          how: `role speaker (${phrase.trim()})`,
          pending: true,
          head,
        };
      },
    });
  }
  party.lastIndex = 0;
  for (let m = party.exec(text); m; m = party.exec(text)) {
    const partyId = partyInPhrase(m[0], lexicon);
    const source = partyId ? officialSource(partyId, lexicon) : undefined;
    if (!source) continue;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      text: m[0],
      make: () => ({ source, mention: null, how: `party speaker (${m[0]})` }),
    });
  }
  BODY.lastIndex = 0;
  for (let m = BODY.exec(text); m; m = BODY.exec(text)) {
    const name = m[1]!.trim();
    const start = m.index + m[0].indexOf(name);
    out.push({
      start,
      end: start + name.length,
      text: name,
      make: () => ({
        source: { id: slugId(name), name, kind: 'ngo', affiliation: null, reliability: 'F', patterns: [] },
        mention: null,
        how: 'named body',
      }),
    });
  }
  return out;
}

function build(c: Candidate): Attribution {
  return c.mention ? { source: c.mention.value, mention: c.mention, how: 'speaker' } : c.make!();
}

/**
 * The speaker of `text`, or null when the sentence names none (the caller falls back to the outlet).
 * `outlet` is the fallback source of a pending role speaker that told no one.
 */
export function attribute(
  text: string,
  lexicon: CompiledLexicon,
  previous: Attribution | null,
  context?: SpeakerContext,
  outlet?: SourceEntry,
  /** The lexicon's source mentions in `text`, when the caller already has them. */
  mentions?: Mention<SourceEntry>[],
): Attribution | null {
  // Every rule below needs a speech verb, "according to" or "a statement from".
  if (!SPEECH_ANY.test(text)) return null;
  const named: Candidate[] = (mentions ?? findSpeakers(text, lexicon)).map((mention) => ({
    start: mention.start,
    end: mention.end,
    text: mention.text,
    mention,
  }));
  let carrier: Mention<SourceEntry> | null = null;
  const carrierOrOutlet = () => carrier?.value ?? outlet ?? lexicon.lexicon.unattributed;
  const rules = context ? ruleSpeakers(text, lexicon, context, carrierOrOutlet) : [];
  // Of overlapping general readings the longest wins ("the Afghanistan Cricket Board", not "the Afghanistan").
  const general = rules.filter(
    (g) =>
      !rules.some((o) => o !== g && o.start < g.end && g.start < o.end && o.end - o.start > g.end - g.start),
  );
  // Lexicon names win over the general rules where they overlap.
  const all = [
    ...named,
    ...general.filter((g) => !named.some((n) => g.start < n.end && n.start < g.end)),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const c of named)
    if (TOLD.test(text.slice(Math.max(0, c.start - 40), c.start))) carrier ??= c.mention ?? null;
  for (const c of all) {
    const before = text.slice(Math.max(0, c.start - 40), c.start);
    const after = text.slice(c.end, c.end + 60);
    const isNamed = named.includes(c);
    if (ACCORDING.test(before) || STATEMENT_FROM.test(before)) {
      const found = build(c);
      return isNamed ? { ...found, how: 'according to' } : found;
    }
    if (TOLD.test(before)) continue;
    if ((isNamed && SPEECH_AFTER.test(after)) || SPEECH_NEAR.test(after)) return build(c);
    // "…, said a police spokesman." — but not "He said Pakistani strikes…": a general reading after
    // "said" must end the clause.
    if (SPEECH_BEFORE.test(before) && (isNamed || /^\s*(?:[,.;:]|$)/.test(after))) {
      const found = build(c);
      return isNamed ? { ...found, how: 'said by' } : found;
    }
  }
  if (previous && CONTINUES.test(text.trim())) return { ...previous, how: 'continues previous sentence' };
  if (carrier) return { source: carrier.value, mention: carrier, how: 'unnamed speaker told' };
  return null;
}

/** True when the mention at [start, end) speaks in `text` (as opposed to acting: "Pakistani military forces fired"). */
export function speaks(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 60);
  return (
    ACCORDING.test(before) ||
    STATEMENT_FROM.test(before) ||
    TOLD.test(before) ||
    SPEECH_BEFORE.test(before) ||
    SPEECH_AFTER.test(after) ||
    SPEECH_NEAR.test(after)
  );
}

/** The lexicon's source for an outlet name from the document's metadata, if it knows it. */
export function outletSource(
  outlet: string,
  lexicon: CompiledLexicon,
  slug: (s: string) => string,
): SourceEntry | null {
  const key = slug(outlet);
  for (const { entry, re } of lexicon.sources) {
    if (entry.id === key || slug(entry.name) === key) return entry;
    const whole = new RegExp(`^(?:${re.source})$`);
    if (whole.test(outlet.trim())) return entry;
  }
  return null;
}
