/**
 * Who acted and who was targeted, from the lexicon's actor names and the parties' demonyms.
 *
 * Rules, within the trigger's clause: a name after "by" ("struck by Pakistani drones") or right
 * before the trigger ("Pakistani airstrikes"), or running into it ("Pakistani drone" in "Pakistani
 * drone strike"), is the actor; a name after "on / against / targeting
 * / at" is the target; otherwise the nearest name before the trigger is the actor and the first name
 * after it the target. A bare demonym that acts ("Pakistan launched") stands for the party's
 * default actor. Civilians are never the actor.
 */
import { type CompiledLexicon, findMentions, type Mention } from './lexicon.ts';

export type ActorMention = Mention<string>;

const TARGET_CUE =
  /\b(?:on|against|targeting|targeted|at|hit|struck|killing|killed|attacked|attacking|into|toward|towards|inside)\s+(?:the\s+|a\s+|several\s+|two\s+|three\s+)?(?:[\p{L}-]+\s+){0,2}$/iu;
const BY_CUE = /\bby\s+(?:the\s+)?$/i;

export function findActors(text: string, lexicon: CompiledLexicon): ActorMention[] {
  const named = findMentions(
    text,
    lexicon.actors.map((a) => ({ re: a.re, value: a.entry.id })),
  );
  const demonyms = findMentions(
    text,
    lexicon.demonyms.map((d) => ({ re: d.re, value: d.party.defaultActor })),
  ).filter((d) => !named.some((n) => d.start < n.end && n.start < d.end));
  return [...named, ...demonyms].sort((a, b) => a.start - b.start);
}

export type ActorRoles = { actor: ActorMention | null; target: ActorMention | null };

/** Actor and target of the trigger at [start, end) among the clause's mentions. */
export function assignRoles(
  clause: string,
  mentions: ActorMention[],
  start: number,
  end: number,
): ActorRoles {
  let actor: ActorMention | null = null;
  let target: ActorMention | null = null;
  // A name that runs into the trigger ("Pakistani drone" + "drone strike") stands before it.
  const before = mentions.filter((m) => m.end <= start || (m.start < start && m.end <= end));
  // A name inside the trigger ("attacks on Pakistani border posts") is what was hit.
  const inside = mentions.filter((m) => m.start > start && m.end <= end);
  const after = [...inside, ...mentions.filter((m) => m.start >= end)];
  for (const m of after) {
    const lead = clause.slice(Math.max(0, m.start - 40), m.start);
    if (!actor && BY_CUE.test(lead) && m.value !== 'civilians') actor = m;
    else if (!target && (TARGET_CUE.test(lead) || m.value === 'civilians')) target = m;
  }
  for (let i = before.length - 1; i >= 0; i--) {
    const m = before[i]!;
    const lead = clause.slice(Math.max(0, m.start - 40), m.start);
    const adjacent = /^\s*$/.test(clause.slice(m.end, start));
    if (!actor && m.value !== 'civilians' && (adjacent || !TARGET_CUE.test(lead))) actor = m;
    else if (!target && TARGET_CUE.test(lead)) target = m;
  }
  if (!target) target = after.find((m) => m !== actor && m.value !== actor?.value) ?? null;
  if (target && actor && target.value === actor.value) target = null;
  return { actor, target };
}
