/**
 * The shape of an interop lexicon: which dataset actor names stand for which Truce actors, and
 * which outlets are whose. The names are data (one lexicon per case, see lexicons/).
 */
import type { SourceEntry } from '../ingest/lexicon.ts';

export type ActorNameRule = {
  /** Regex source, matched case-insensitively against the whole dataset name from its start. */
  pattern: string;
  actorId: string;
  /** The same name can mean another actor in another period ("Government of Afghanistan" before and after August 2021). */
  from?: string;
  to?: string;
};

export type InteropLexicon = {
  actors: ActorNameRule[];
  /** Outlets with their kind and affiliation; shared with ingest so the two never classify an outlet differently. */
  sources: SourceEntry[];
};

export type CompiledActorRule = ActorNameRule & { re: RegExp };

export function compileActorRules(rules: readonly ActorNameRule[]): CompiledActorRule[] {
  return rules.map((rule) => ({ ...rule, re: new RegExp(`^(?:${rule.pattern})`, 'i') }));
}

/** The outlet entry whose name, id or (whole-string) pattern is this name, if any. */
export function outletEntry(entries: readonly SourceEntry[], name: string): SourceEntry | undefined {
  const wanted = name.trim().toLowerCase();
  return entries.find(
    (entry) =>
      entry.name.toLowerCase() === wanted ||
      entry.id.toLowerCase() === wanted ||
      entry.patterns.some((pattern) => new RegExp(`^(?:${pattern})$`).test(name.trim())),
  );
}
