/**
 * Reads one sentence: its triggers, dates, places, actors, speaker and figures, and turns each
 * trigger that survives the filters into an incident candidate (before merging across sentences).
 */
import type { IncidentType } from '../domain/incident.ts';
import type { Place } from '../gazetteer/place.ts';
import { assignRoles, findActors } from './actors.ts';
import { findSpeakers } from './attribution.ts';
import { findFigures } from './casualties.ts';
import { addDays, type DateMention, findDates, type ResolvedDate } from './dates.ts';
import type { CompiledLexicon, SourceEntry } from './lexicon.ts';
import { choosePlace, contains, findPlaces, type PlaceIndex, type PlaceMention } from './places.ts';
import type { Evidence, Field, ProposedDate, ProposedFigure, ProposedPlace } from './proposal.ts';
import type { Sentence } from './sentences.ts';
import {
  ANAPHORA,
  findIncidentTriggers,
  GENERIC,
  GENERIC_PLURAL,
  HYPOTHETICAL,
  type Trigger,
  type TriggerType,
} from './triggers.ts';

export type ReadContext = { lexicon: CompiledLexicon; places: PlaceIndex; reference: string };

export type Candidate = {
  sentence: Sentence;
  type: IncidentType;
  typeCue: string;
  date: Field<ProposedDate>;
  /** The date came from this sentence (not carried from an earlier one). */
  explicitDate: boolean;
  place: Field<ProposedPlace> | null;
  actor: Field<string> | null;
  target: Field<string> | null;
  retaliation: boolean;
  figures: ProposedFigure[];
};

const CLAUSE_BREAK =
  /,\s+(?:while|whereas|but|and\s+then)\s+|;\s+|:\s+|\s+(?:while|whereas|after|before|following|as|when)\s+/g;
const DAYS_AFTER = /\b(?:days|hours|a\s+day|weeks)\s+after\b/i;
const MILITANT_WORDS = /\b(?:militants?|terrorists?|gunmen|insurgents?|suicide|khawarij|TTP|ISKP)\b/i;

export function clauses(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(text); m; m = CLAUSE_BREAK.exec(text)) {
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out;
}

export function toProposedPlace(place: Place): ProposedPlace {
  return {
    placeId: place.id,
    name: place.name,
    geoPrecision: place.geoPrecision,
    country: place.country,
    admin1: place.admin1,
  };
}

function nearest<T extends { start: number; end: number }>(
  items: T[],
  at: { start: number; end: number },
): T | null {
  let best: T | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const item of items) {
    // Words after the trigger are slightly preferred ("airstrikes in Paktika on Friday").
    const d = item.start >= at.end ? item.start - at.end : at.start - item.end + 5;
    if (d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
}

export type SentenceReading = {
  candidates: Candidate[];
  dates: DateMention[];
  /** Figures of a sentence that names no event: extract.ts attaches them to a recent candidate. */
  looseFigures: (targetSide: string | null, placeSide: string | null) => ProposedFigure[];
  places: PlaceMention[];
};

export function readSentence(
  sentence: Sentence,
  ctx: ReadContext,
  previousDate: ResolvedDate | null,
  speaker: SourceEntry,
): SentenceReading {
  const { text } = sentence;
  const evidence = (cue: string): Evidence => ({ start: sentence.start, end: sentence.end, cue });
  const dates = findDates(text, ctx.reference, previousDate);
  const placeMentions = findPlaces(text, ctx.places);
  const triggers = findIncidentTriggers(text);
  const actors = findActors(text, ctx.lexicon);
  const parts = clauses(text);
  const partyOf = (actorId: string | undefined) =>
    actorId ? (ctx.lexicon.actorById.get(actorId)?.partyId ?? null) : null;
  const speakerSide = speaker.affiliation;
  // Names inside a casualty phrase ("200 Taliban fighters were killed") are victims, not actors.
  const victims = findFigures(text, ctx.lexicon, { speakerSide: null, targetSide: null, placeSide: null });
  const speakers = findSpeakers(text, ctx.lexicon);
  const explicitDates = dates.filter((d) => !d.relative || d.precision !== 'week');
  const candidates: Candidate[] = [];
  const kept: Trigger<TriggerType>[] = [];

  for (const trigger of triggers) {
    const clause = parts.find((c) => trigger.start >= c.start && trigger.start < c.end) ?? {
      start: 0,
      end: text.length,
    };
    const lead = text.slice(clause.start, trigger.start);
    if (HYPOTHETICAL.test(lead)) continue;
    const near = text.slice(Math.max(clause.start, trigger.start - 45), trigger.start);
    if (
      explicitDates.length === 0 &&
      (GENERIC.test(near) || (/^\S+s\b|s$/i.test(trigger.text) && GENERIC_PLURAL.test(near)))
    )
      continue;
    // "attacks have killed thousands": a statistic, not an event.
    if (/^\s+(?:have|has)\s+(?:killed|claimed|left)\b/i.test(text.slice(trigger.end, trigger.end + 20)))
      continue;
    // "after the clashes" points back at an event told elsewhere; it is not a new report of one.
    if (ANAPHORA.test(text.slice(Math.max(0, trigger.start - 30), trigger.start))) continue;
    if (
      /^(?:clash|clashes)$/i.test(trigger.text) &&
      /\b(?:of|over)\s+(?:interests|ideas|views)/i.test(text.slice(trigger.end, trigger.end + 20))
    )
      continue;
    kept.push(trigger);
  }

  for (const trigger of kept) {
    const clause = parts.find((c) => trigger.start >= c.start && trigger.start < c.end) ?? {
      start: 0,
      end: text.length,
    };
    const mine = <T extends { start: number; end: number }>(items: T[]) =>
      items.filter((item) => nearest(kept, item) === trigger);
    // Date: the nearest mention in the sentence, else the date the text last set, else the reference week.
    const own = nearest(mine(dates).length > 0 ? mine(dates) : dates, trigger);
    let date: ProposedDate;
    let dateCue: string;
    if (own) {
      date = { day: own.day, precision: own.precision };
      dateCue = text.slice(own.start, own.end);
      const between = text.slice(Math.min(own.end, trigger.start), Math.max(own.start, trigger.end));
      if (own.end <= trigger.start && DAYS_AFTER.test(between)) {
        date = { day: addDays(own.day, -3), precision: 'week' };
        dateCue = `${dateCue} … days after`;
      }
    } else if (previousDate) {
      date = { day: previousDate.day, precision: previousDate.precision };
      dateCue = '(date carried from an earlier sentence)';
    } else {
      date = { day: ctx.reference, precision: 'week' };
      dateCue = '(no date given: the publication week)';
    }
    // "Afghanistan's Paktika province" names a place, not an actor.
    const clauseMentions = actors.filter(
      (m) =>
        m.start >= clause.start &&
        m.end <= clause.end &&
        !victims.some((f) => m.start >= f.start && m.end <= f.end) &&
        !speakers.some((sp) => m.start < sp.end && sp.start < m.end) &&
        !placeMentions.some(
          (p) => m.start < p.end && p.start < m.end && p.places.some((x) => x.kind === 'country'),
        ),
    );
    const roles = assignRoles(text, clauseMentions, trigger.start, trigger.end);
    let type: IncidentType | null = trigger.type === 'attack' ? null : trigger.type;
    if (trigger.type === 'attack') {
      const actorKind = roles.actor ? ctx.lexicon.actorById.get(roles.actor.value)?.kind : undefined;
      if (actorKind === 'non_state' || (!actorKind && MILITANT_WORDS.test(text))) type = 'militant_attack';
      else if (actorKind === 'state_force') type = 'armed_clash';
    }
    if (!type) continue;
    const crossingEvent = type === 'crossing_closure' || type === 'crossing_reopening';
    let chosen = mine(placeMentions).map((m) => ({ mention: m, place: choosePlace(m, text, crossingEvent) }));
    // "Spin Boldak district of Kandahar": the province (or its namesake district) only locates the other place.
    chosen = chosen.filter(
      (c) =>
        !chosen.some(
          (o) =>
            contains(c.place, o.place) ||
            (o !== c && c.place.name === c.place.admin1 && o.place.admin1 === c.place.admin1),
        ),
    );
    if (crossingEvent) chosen = chosen.filter((c) => c.place.kind === 'crossing');
    if (crossingEvent && chosen.length === 0) continue;
    const fallback = chosen.length === 0 ? countryFallback(text, clause, ctx) : null;
    // A trigger needs an anchor: a place, or a date of its own, or a country with a date carried over.
    if (chosen.length === 0 && own === null && !(fallback && previousDate)) continue;
    const targets =
      chosen.length > 0 ? chosen.map((c) => ({ place: c.place, cue: c.mention.text })) : [fallback];
    for (const at of targets) {
      const place = at ? { value: toProposedPlace(at.place), evidence: evidence(at.cue) } : null;
      const actor = roles.actor ? { value: roles.actor.value, evidence: evidence(roles.actor.text) } : null;
      const target = roles.target
        ? { value: roles.target.value, evidence: evidence(roles.target.text) }
        : null;
      const placeSide = at ? partyOfCountry(at.place.country, ctx) : null;
      const figures = findFigures(text, ctx.lexicon, {
        speakerSide,
        targetSide:
          partyOf(target?.value) ?? (actor && placeSide ? otherSide(partyOf(actor.value), ctx) : null),
        placeSide,
      })
        .filter((f) => nearest(kept, f) === trigger)
        .map(({ start: _s, end: _e, cue, ...figure }) => ({ ...figure, evidence: evidence(cue) }));
      candidates.push({
        sentence,
        type,
        typeCue: trigger.text,
        date: { value: date, evidence: evidence(dateCue) },
        explicitDate: own !== null,
        place,
        actor,
        target,
        retaliation: /\bretaliat/i.test(text),
        figures,
      });
    }
  }
  return {
    candidates,
    dates,
    places: placeMentions,
    looseFigures: (targetSide, placeSide) =>
      findFigures(text, ctx.lexicon, { speakerSide, targetSide, placeSide }).map(
        ({ start: _s, end: _e, cue, ...f }) => ({
          ...f,
          evidence: evidence(cue),
        }),
      ),
  };
}

function partyOfCountry(country: string, ctx: ReadContext): string | null {
  return ctx.lexicon.lexicon.parties.find((p) => p.countryPlace === country.toLowerCase())?.id ?? null;
}

function otherSide(party: string | null, ctx: ReadContext): string | null {
  const belligerents = ctx.lexicon.lexicon.parties.filter((p) => p.role === 'belligerent');
  if (!party || belligerents.length !== 2) return null;
  return belligerents.find((p) => p.id !== party)?.id ?? null;
}

const COUNTRY_CUE = /\b(?:on|inside|into|in|across|at|of)\s+(?:the\s+)?(?:[\p{L}-]+\s+){0,2}?$/iu;
const COUNTRY_NOUN =
  /^\s+(?:territory|soil|side|airspace|border\s+posts?|posts?|check\s?posts?|positions|villages?|areas?|border\s+areas?|outposts?)\b/i;

/** "on Pakistani border posts", "inside Afghan territory": the party's country, at precision 3. */
function countryFallback(
  text: string,
  clause: { start: number; end: number },
  ctx: ReadContext,
): { place: Place; cue: string } | null {
  const part = text.slice(clause.start, clause.end);
  for (const { party, re } of ctx.lexicon.demonyms) {
    re.lastIndex = 0;
    for (let m = re.exec(part); m; m = re.exec(part)) {
      const before = part.slice(Math.max(0, m.index - 40), m.index);
      const after = part.slice(m.index + m[0].length, m.index + m[0].length + 30);
      if (COUNTRY_CUE.test(before) && COUNTRY_NOUN.test(after)) {
        const place = ctx.places.gazetteer.byId(party.countryPlace);
        if (place) return { place, cue: `${m[0]}${COUNTRY_NOUN.exec(after)![0]}` };
      }
    }
  }
  return null;
}
