/**
 * Who claims what a sentence says: "according to X", "X said", "said X", "X told Reuters". The
 * speaker, not the outlet that carried the words, is the claim's source ("Mujahid told Reuters" is
 * Mujahid's claim); an unnamed speaker who "told Reuters" leaves Reuters as the source.
 * "He said" / "the statement added" continue the previous sentence's speaker. A sentence with no
 * speaker is the outlet's own claim.
 */
import { type CompiledLexicon, findMentions, type Mention, type SourceEntry } from './lexicon.ts';

const SPEECH =
  '(?:said|says|say|claimed|claims|told|tells|stated|states|added|reported|reports|announced|confirmed|wrote|posted|tweeted|alleged|insisted|maintained|quoted|cited|put|estimated|acknowledged|admitted)';
const SPEECH_AFTER = new RegExp(`^[^.;:]{0,40}?\\b${SPEECH}\\b`, 'i');
const SPEECH_BEFORE = new RegExp(`\\b${SPEECH}\\s+(?:by\\s+)?$`, 'i');
const ACCORDING = /\baccording\s+to\s+(?:a\s+statement\s+(?:from|by)\s+)?$/i;
const TOLD = /\btold\s+$/i;
const CONTINUES =
  /^(?:"|“)?(?:he|she|it|they|the\s+(?:spokesman|spokeswoman|statement|ministry|military|army|official|officials|report|agency|group))\s+(?:also\s+|further\s+|later\s+)?(?:said|says|added|claimed|told|stated|wrote)\b|,\s+(?:he|she|it|they)\s+(?:said|added)\.?$/i;

export type Attribution = { source: SourceEntry; mention: Mention<SourceEntry> | null; how: string };

export function findSpeakers(text: string, lexicon: CompiledLexicon): Mention<SourceEntry>[] {
  return findMentions(
    text,
    lexicon.sources.map((s) => ({ re: s.re, value: s.entry })),
  );
}

/** The speaker of `text`, or null when the sentence names none (the caller falls back). */
export function attribute(
  text: string,
  lexicon: CompiledLexicon,
  previous: Attribution | null,
): Attribution | null {
  const speakers = findSpeakers(text, lexicon);
  let carrier: Mention<SourceEntry> | null = null;
  for (const mention of speakers) {
    const before = text.slice(Math.max(0, mention.start - 40), mention.start);
    const after = text.slice(mention.end, mention.end + 60);
    if (ACCORDING.test(before)) return { source: mention.value, mention, how: 'according to' };
    if (TOLD.test(before)) {
      carrier ??= mention;
      continue;
    }
    if (SPEECH_AFTER.test(after)) return { source: mention.value, mention, how: 'speaker' };
    if (SPEECH_BEFORE.test(before)) return { source: mention.value, mention, how: 'said by' };
  }
  if (previous && CONTINUES.test(text.trim())) return { ...previous, how: 'continues previous sentence' };
  if (carrier) return { source: carrier.value, mention: carrier, how: 'unnamed speaker told' };
  return null;
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
