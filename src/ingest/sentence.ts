/**
 * Reads one sentence: its triggers, dates, places, actors, speaker and figures, and turns each
 * trigger that survives the filters into an incident candidate (before merging across sentences).
 *
 * Rules added to the trigger → candidate step (each general, the party words from the lexicon):
 *   - Denial: a trigger after a denial verb in its clause (DENIAL in triggers.ts) is a candidate
 *     whose claim says the event did not happen (asserted.happened = false), not a dropped trigger.
 *   - Operation: an `operation` trigger is an armed clash only when a casualty figure is nearest to
 *     it in the sentence ("killed 12 militants in a follow-up operation").
 *   - Area: a trigger with no place of its own but "in the (same) area / vicinity", "nearby" takes
 *     the place of the latest incident of the last three sentences (ctx.areaPlace).
 *   - Unnamed forces: with no actor named, "security forces", "troops", "soldiers", "the army" as
 *     the subject before the trigger (or after "by") are the forces of the party whose country the
 *     incident is in.
 *   - Own-side announcement: an air or drone strike with no actor named, in one belligerent's
 *     country, told by the other belligerent's own sources ("According to Pakistani officials, an
 *     airstrike in Kabul…"), is that belligerent's.
 *   - Reported-speech coordination: in "X said A were killed, and that B died when …", a figure in a
 *     "…, and that …" part with no trigger of its own is not the trigger's in the other part: it is
 *     a stray figure, which extract.ts gives to the incident told just before (as a loose figure).
 *   - Dateline: "PESHAWAR, Pakistan, Oct 13 (Reuters) -", "RAWALPINDI, 27 October 2025:" say where and
 *     when the story was filed; their place and date are not the event's.
 *   - Places of the trigger's own clause win over places elsewhere in the sentence ("Kurram has seen
 *     flare-ups since Pakistani air strikes in Kabul": Kabul). Several places make several incidents
 *     only when coordinated ("in Kabul and Paktika"), and each figure goes to the place named last
 *     before it.
 *   - Carried place: a trigger with figures but no place of its own takes the place the previous
 *     sentence named ("…infiltrate … in Kurram district. After an exchange of fire, 25 … were killed").
 *   - A date inside a background aside (", which had reopened on 1 November,") dates only the
 *     triggers inside that aside.
 *   - "a day after" / "three days after" an event: that many days before the date the sentence (or,
 *     failing that, the text) set.
 *   - Continuing closures: "remained closed", "has been shut" report a state, not a closure; with
 *     "since <date>" they are the closure on that date.
 *   - "the crossing" (gate, terminal) with no crossing named is the crossing the text named last;
 *     "the border" only when that was in the last three sentences (ctx.lastCrossing).
 *   - Military losses of a militant attack with no side named are the side of its country.
 *   - A lexicon speaker that does not speak in this sentence ("Pakistani military forces fired
 *     mortars") may act.
 *   - A passive agent is an actor even when it also names a speaker ("closed by Pakistani
 *     authorities"), and a name that runs into the trigger ("Pakistani drone strike") acts.
 */
import type { IncidentType } from '../domain/incident.ts';
import type { Place } from '../gazetteer/place.ts';
import { assignRoles, findActors } from './actors.ts';
import { type Attribution, findSpeakers, speaks } from './attribution.ts';
import { dedupeFigures, findFigures } from './casualties.ts';
import { addDays, type DateMention, findAsides, findDates, type ResolvedDate } from './dates.ts';
import type { CompiledLexicon, Mention, SourceEntry } from './lexicon.ts';
import { UNITS } from './numbers.ts';
import { choosePlace, contains, findPlaces, type PlaceIndex, type PlaceMention } from './places.ts';
import type { Evidence, Field, ProposedDate, ProposedFigure, ProposedPlace } from './proposal.ts';
import type { Sentence } from './sentences.ts';
import {
  ANAPHORA,
  DENIAL,
  findIncidentTriggers,
  GENERIC,
  GENERIC_PLURAL,
  HYPOTHETICAL,
  type Trigger,
  type TriggerType,
} from './triggers.ts';

export type ReadContext = {
  lexicon: CompiledLexicon;
  places: PlaceIndex;
  reference: string;
  /** Place of the latest incident of the last three sentences, for "in the area". */
  areaPlace?: Place | null;
  /** The last place the previous sentence named (not a country), for a trigger with figures and no place. */
  carriedPlace?: Place | null;
  /** The crossing last named, for "the crossing" (and, when named in the last three sentences, "the border"). */
  lastCrossing?: { place: Place; near: boolean } | null;
};

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
  /** The speaker denies the event happened (asserted.happened = false). */
  denied: boolean;
  /** The speaker of this candidate's claim (a role speaker resolved by the candidate's place). */
  speaker: Attribution;
};

const CLAUSE_BREAK =
  /,\s+(?:while|whereas|but|and\s+then)\s+|;\s+|:\s+|\s+(?:while|whereas|after|before|following|as|when|since)\s+/g;
/** Where and when the story was filed, at the head of a paragraph. */
const DATELINE =
  /^(?:[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?=,\s*[A-Z]))(?:,\s*[A-Z][\p{L}.]+(?:\s+[A-Z][\p{L}.]+)*)*(?:,?\s+(?:\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+\d{4})?)?\s*(?:\((?:[A-Z][\p{L}-]*\s?){1,3}\))?\s*[-–—:]\s+/u;
const DAYS_BEFORE_EVENT =
  /\b(?:(?<n>a|one|two|three|four|five|six|seven|\d{1,2})\s+days?|(?<day>the\s+day|a\s+day)|(?<hours>hours))\s+after\s+[^.;]{0,40}$/i;
const CONTINUING =
  /\b(?:remained|remains|stayed|stays|has\s+been|have\s+been|had\s+been|been)\s+(?:\w+\s+)?(?:closed|shut|sealed)\b|\b(?:closed|shut|sealed)\s+for\s+(?:the\s+)?\w+\s+(?:consecutive\s+|straight\s+)?(?:day|week)/i;
const THE_CROSSING = /\bthe\s+(?:border\s+)?(?:crossing|gate|terminal|border)\b/i;
const DAYS_AFTER = /\b(?:days|hours|a\s+day|weeks)\s+after\b/i;
const SUICIDE = /\bsuicide\b/i;
/** Reported-speech coordination: "said A …, and that B …". */
const REPORTED_AND = /,\s+and\s+(?:(?:said|added|claimed)\s+)?that\s+/g;
const AREA = /\b(?:in|near|around)\s+the\s+(?:same\s+)?(?:area|vicinity|locality)\b|\bnearby\b/i;
/** State forces named without a party ("security forces later killed…"). */
const UNNAMED_FORCES =
  /\b(?:(?:the|own|our)\s+)?(?:security\s+forces|law[- ]enforcement\s+agencies|troops|soldiers|the\s+army|the\s+military|border\s+(?:forces|guards))\b/gi;
const AIR_TYPES = new Set<string>(['airstrike', 'drone_strike']);

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
  looseFigures: (
    targetSide: string | null,
    placeSide: string | null,
    speakerSide: string | null,
  ) => ProposedFigure[];
  /** Figures in a reported-speech part without a trigger, in a sentence that has candidates. */
  strayFigures: (
    targetSide: string | null,
    placeSide: string | null,
    speakerSide: string | null,
  ) => ProposedFigure[];
  places: PlaceMention[];
};

export function readSentence(
  sentence: Sentence,
  ctx: ReadContext,
  previousDate: ResolvedDate | null,
  speaker: Attribution,
  /** Resolves a pending role speaker by the candidate's place (see attribution.ts). */
  resolve: (speaker: Attribution, place: ProposedPlace | null) => Attribution = (a) => a,
  /** The lexicon's source mentions in the sentence, when the caller already has them. */
  sourceMentions?: Mention<SourceEntry>[],
): SentenceReading {
  const { text } = sentence;
  const evidence = (cue: string): Evidence => ({ start: sentence.start, end: sentence.end, cue });
  // The dateline is blanked (same length, so offsets hold) before dates and places are read.
  const dateline = DATELINE.exec(text)?.[0].length ?? 0;
  const body = dateline > 0 ? ' '.repeat(dateline) + text.slice(dateline) : text;
  const dates = findDates(body, ctx.reference, previousDate);
  const asides = findAsides(body);
  const placeMentions = findPlaces(body, ctx.places);
  const triggers = findIncidentTriggers(text);
  const actors = findActors(text, ctx.lexicon);
  const parts = clauses(text);
  const partyOf = (actorId: string | undefined) =>
    actorId ? (ctx.lexicon.actorById.get(actorId)?.partyId ?? null) : null;
  // Names inside a casualty phrase ("200 Taliban fighters were killed") are victims, not actors.
  const victims = findFigures(text, ctx.lexicon, { speakerSide: null, targetSide: null, placeSide: null });
  // Lexicon speakers that speak here are not actors; one that only acts ("Pakistani military forces fired") is.
  const speakers = (sourceMentions ?? findSpeakers(text, ctx.lexicon)).filter((m) =>
    speaks(text, m.start, m.end),
  );
  const explicitDates = dates.filter((d) => !d.relative || d.precision !== 'week');
  const candidates: Candidate[] = [];
  const kept: Trigger<TriggerType>[] = [];
  const denied = new Set<Trigger<TriggerType>>();
  const sinceOf = new Map<Trigger<TriggerType>, DateMention>();

  for (const trigger of triggers) {
    const clause = parts.find((c) => trigger.start >= c.start && trigger.start < c.end) ?? {
      start: 0,
      end: text.length,
    };
    const lead = text.slice(clause.start, trigger.start);
    if (DENIAL.test(lead)) denied.add(trigger);
    else if (HYPOTHETICAL.test(lead)) continue;
    const near = text.slice(Math.max(clause.start, trigger.start - 45), trigger.start);
    if (
      explicitDates.length === 0 &&
      (GENERIC.test(near) || (/^\S+s\b|s$/i.test(trigger.text) && GENERIC_PLURAL.test(near)))
    )
      continue;
    // "attacks have killed thousands": a statistic, not an event.
    if (/^\s+(?:have|has)\s+(?:killed|claimed|left)\b/i.test(text.slice(trigger.end, trigger.end + 20)))
      continue;
    // "remained closed" is a state; only "… since <date>" makes it the closure on that date.
    if (
      trigger.type === 'crossing_closure' &&
      CONTINUING.test(text.slice(Math.max(0, trigger.start - 25), trigger.end + 40))
    ) {
      const since = dates.find(
        (d) =>
          d.start >= trigger.start &&
          (/^since\b/i.test(text.slice(d.start, d.start + 6)) ||
            /\bsince\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, d.start - 12), d.start))),
      );
      if (!since) continue;
      sinceOf.set(trigger, since);
    }
    // "after the clashes" points back at an event told elsewhere; it is not a new report of one.
    if (ANAPHORA.test(text.slice(Math.max(0, trigger.start - 30), trigger.start))) continue;
    if (
      /^(?:clash|clashes)$/i.test(trigger.text) &&
      /\b(?:of|over)\s+(?:interests|ideas|views)/i.test(text.slice(trigger.end, trigger.end + 20))
    )
      continue;
    kept.push(trigger);
  }
  // Parts of reported speech: a figure belongs to a trigger of its own part only.
  const said: { start: number; end: number }[] = [];
  let from = 0;
  REPORTED_AND.lastIndex = 0;
  for (let m = REPORTED_AND.exec(text); m; m = REPORTED_AND.exec(text)) {
    said.push({ start: from, end: m.index });
    from = m.index + m[0].length;
  }
  said.push({ start: from, end: text.length });
  // An operation is an event only with a figure of its own.
  for (const trigger of kept.filter((t) => t.type === 'operation'))
    if (!victims.some((f) => nearest(kept, f) === trigger)) kept.splice(kept.indexOf(trigger), 1);

  for (const trigger of kept) {
    const clause = parts.find((c) => trigger.start >= c.start && trigger.start < c.end) ?? {
      start: 0,
      end: text.length,
    };
    const mine = <T extends { start: number; end: number }>(items: T[]) =>
      items.filter((item) => nearest(kept, item) === trigger);
    // Date: the nearest mention in the sentence, else the date the text last set, else the reference week.
    // A date in a background aside (", which had reopened on 1 November,") is only the aside's.
    const usable =
      asides.length === 0
        ? dates
        : dates.filter((d) => spanIndex(asides, d.start) === spanIndex(asides, trigger.start));
    const own = sinceOf.get(trigger) ?? nearest(mine(usable).length > 0 ? mine(usable) : usable, trigger);
    let date: ProposedDate;
    let dateCue: string;
    if (own) {
      date = { day: own.day, precision: own.precision };
      dateCue = text.slice(own.start, own.end);
      const between = text.slice(Math.min(own.end, trigger.start), Math.max(own.start, trigger.end));
      const back =
        own.end <= trigger.start ? DAYS_BEFORE_EVENT.exec(text.slice(own.end, trigger.start)) : null;
      if (back) {
        date = shiftBack(date, back);
        dateCue = `${dateCue} … ${back[0].trim()}`;
      } else if (own.end <= trigger.start && DAYS_AFTER.test(between)) {
        date = { day: addDays(own.day, -3), precision: 'week' };
        dateCue = `${dateCue} … days after`;
      }
    } else if (previousDate) {
      date = { day: previousDate.day, precision: previousDate.precision };
      dateCue = '(date carried from an earlier sentence)';
      const back = DAYS_BEFORE_EVENT.exec(text.slice(Math.max(0, trigger.start - 80), trigger.start));
      if (back) {
        date = shiftBack(date, back);
        dateCue = `(date carried) … ${back[0].trim()}`;
      }
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
        (!speakers.some((sp) => m.start < sp.end && sp.start < m.end) ||
          /\bby\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, m.start - 10), m.start))) &&
        !placeMentions.some(
          (p) => m.start < p.end && p.start < m.end && p.places.some((x) => x.kind === 'country'),
        ),
    );
    const roles = assignRoles(text, clauseMentions, trigger.start, trigger.end);
    let type: IncidentType | null =
      trigger.type === 'attack' || trigger.type === 'bombed'
        ? null
        : trigger.type === 'operation'
          ? 'armed_clash'
          : trigger.type;
    if (trigger.type === 'attack' || trigger.type === 'bombed') {
      const actorKind = roles.actor ? ctx.lexicon.actorById.get(roles.actor.value)?.kind : undefined;
      if (actorKind === 'non_state' || (!actorKind && militantWords(text, ctx))) type = 'militant_attack';
      else if (actorKind === 'state_force') type = trigger.type === 'bombed' ? 'airstrike' : 'armed_clash';
    }
    if (!type) continue;
    const crossingEvent = type === 'crossing_closure' || type === 'crossing_reopening';
    const inClause = placeMentions.filter((m) => m.start >= clause.start && m.end <= clause.end);
    let chosen = (
      inClause.length > 0
        ? inClause.filter((m) => nearest(kept, m) === trigger || inClause.length === 1 || kept.length === 1)
        : mine(placeMentions)
    ).map((m) => ({ mention: m, place: choosePlace(m, text, crossingEvent) }));
    // "Spin Boldak district of Kandahar": the province (or its namesake district) only locates the other place.
    chosen = chosen.filter(
      (c) =>
        !chosen.some(
          (o) =>
            contains(c.place, o.place) ||
            (o !== c && c.place.name === c.place.admin1 && o.place.admin1 === c.place.admin1),
        ),
    );
    // Several places make several incidents only when coordinated ("in Kabul and Paktika", "the
    // Torkham and Chaman crossings"); "… in recent attacks in North Waziristan" modifies something else.
    chosen.sort((a, b) => a.mention.start - b.mention.start);
    chosen = chosen.filter(
      (c, i) =>
        i === 0 ||
        c.mention.end === 0 ||
        /(?:\band|,)\s+(?:the\s+|in\s+|on\s+|at\s+|into\s+)?$/i.test(
          text.slice(Math.max(0, c.mention.start - 12), c.mention.start),
        ),
    );
    if (crossingEvent) chosen = chosen.filter((c) => c.place.kind === 'crossing');
    const back = crossingEvent && chosen.length === 0 && ctx.lastCrossing ? THE_CROSSING.exec(text) : null;
    if (back && ctx.lastCrossing && (ctx.lastCrossing.near || !/border$/i.test(back[0]))) {
      const crossing = ctx.lastCrossing.place;
      chosen = [{ mention: { places: [crossing], start: 0, end: 0, text: back[0] }, place: crossing }];
    }
    if (crossingEvent && chosen.length === 0) continue;
    if (chosen.length === 0 && ctx.areaPlace) {
      const area = AREA.exec(text.slice(clause.start, clause.end));
      if (area)
        chosen = [
          {
            mention: { places: [ctx.areaPlace], start: 0, end: 0, text: area[0] },
            place: ctx.areaPlace,
          },
        ];
    }
    if (chosen.length === 0 && ctx.carriedPlace && victims.some((f) => nearest(kept, f) === trigger)) {
      const carried = ctx.carriedPlace;
      chosen = [
        {
          mention: { places: [carried], start: 0, end: 0, text: `(${carried.name}, named just before)` },
          place: carried,
        },
      ];
    }
    const fallback = chosen.length === 0 ? countryFallback(text, clause, ctx) : null;
    // A trigger needs an anchor: a place, or a date of its own, or a country with a date carried over.
    if (chosen.length === 0 && own === null && !(fallback && previousDate)) continue;
    const targets =
      chosen.length > 0
        ? chosen.map((c) => ({ place: c.place, cue: c.mention.text, start: c.mention.start }))
        : [fallback ? { ...fallback, start: 0 } : null];
    for (const at of targets) {
      const place = at ? { value: toProposedPlace(at.place), evidence: evidence(at.cue) } : null;
      const placeParty = at ? partyOfCountry(at.place.country, ctx) : null;
      const who = resolve(speaker, place?.value ?? null);
      const speakerSide = who.source.affiliation;
      let actor = roles.actor ? { value: roles.actor.value, evidence: evidence(roles.actor.text) } : null;
      if (!actor && placeParty) {
        const forces =
          unnamedForces(text, clause, trigger, clauseMentions, victims) ??
          unnamedForces(
            text,
            { start: 0, end: Math.min(30, trigger.start) },
            trigger,
            clauseMentions,
            victims,
          );
        const party = ctx.lexicon.partyById.get(placeParty);
        if (forces && party) actor = { value: party.defaultActor, evidence: evidence(forces) };
      }
      if (!actor && AIR_TYPES.has(type) && placeParty && speakerSide && speakerSide !== placeParty) {
        const party = ctx.lexicon.partyById.get(speakerSide);
        if (party?.role === 'belligerent' && otherSide(placeParty, ctx) === party.id)
          actor = {
            value: party.defaultActor,
            evidence: evidence(`(told by its own side: ${who.source.name})`),
          };
      }
      const target = roles.target
        ? { value: roles.target.value, evidence: evidence(roles.target.text) }
        : null;
      const placeSide = placeParty;
      const figures = dedupeFigures(
        findFigures(text, ctx.lexicon, {
          speakerSide,
          targetSide:
            partyOf(target?.value) ??
            (actor && placeSide ? otherSide(partyOf(actor.value), ctx) : null) ??
            (type === 'militant_attack' ? placeSide : null),
          placeSide,
        })
          .filter((f) => nearest(kept, f) === trigger && (said.length === 1 || !isStray(f, kept, said)))
          .filter((f) => targets.length === 1 || ownerOf(targets, f.start) === at)
          .map(({ start: _s, end: _e, cue, ...figure }) => ({ ...figure, evidence: evidence(cue) })),
      );
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
        denied: denied.has(trigger),
        speaker: who,
      });
    }
  }
  return {
    candidates,
    dates,
    places: placeMentions,
    strayFigures: (targetSide, placeSide, speakerSide) =>
      said.length === 1 || kept.length === 0
        ? []
        : dedupeFigures(
            findFigures(text, ctx.lexicon, { speakerSide, targetSide, placeSide }).filter((f) =>
              isStray(f, kept, said),
            ),
          ).map(({ start: _s, end: _e, cue, ...f }) => ({ ...f, evidence: evidence(cue) })),
    looseFigures: (targetSide, placeSide, speakerSide) =>
      dedupeFigures(findFigures(text, ctx.lexicon, { speakerSide, targetSide, placeSide })).map(
        ({ start: _s, end: _e, cue, ...f }) => ({
          ...f,
          evidence: evidence(cue),
        }),
      ),
  };
}

/** Words for militants (the lexicon's militant category, e.g. "gunmen", a group's name) or "suicide". */
function militantWords(text: string, ctx: Pick<ReadContext, 'lexicon'>): boolean {
  if (SUICIDE.test(text)) return true;
  return ctx.lexicon.categories.some(({ cue, re }) => cue.category === 'militant' && re.test(text));
}

/** Index of the [start, end) pair that holds `at`, or -1. */
function spanIndex(spans: [number, number][], at: number): number {
  return spans.findIndex(([a, b]) => at >= a && at < b);
}

/** A figure in a reported-speech part that holds no trigger. */
function isStray(
  f: { start: number },
  kept: { start: number }[],
  said: { start: number; end: number }[],
): boolean {
  const part = (at: number) => said.findIndex((p) => at >= p.start && at < p.end);
  const mine = part(f.start);
  return !kept.some((t) => part(t.start) === mine);
}

/** With several places, a figure belongs to the place named last before it (or to the first place). */
function ownerOf<T extends { start: number } | null>(targets: T[], at: number): T | undefined {
  let owner = targets[0];
  for (const t of targets) if (t && t.start < at && t.start >= (owner?.start ?? 0)) owner = t;
  return owner;
}

/** "three days after …": the date that many days earlier (a week earlier for a plain "days after"). */
function shiftBack(date: ProposedDate, back: RegExpExecArray): ProposedDate {
  const g = back.groups ?? {};
  if (g.hours) return date;
  if (g.day) return { day: addDays(date.day, -1), precision: date.precision };
  const n = UNITS[g.n!.toLowerCase()] ?? Number(g.n);
  return { day: addDays(date.day, -n), precision: date.precision };
}

/** "Security forces later killed…": the words naming unnamed state forces as the subject, or null. */
function unnamedForces(
  text: string,
  clause: { start: number; end: number },
  trigger: { start: number; end: number },
  mentions: { start: number; end: number }[],
  victims: { start: number; end: number }[],
): string | null {
  let found: string | null = null;
  UNNAMED_FORCES.lastIndex = 0;
  for (let m = UNNAMED_FORCES.exec(text); m; m = UNNAMED_FORCES.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start < clause.start || end > clause.end) continue;
    if (mentions.some((x) => start < x.end && x.start < end)) continue;
    if (victims.some((f) => start >= f.start && end <= f.end)) continue;
    // A demonym or a name right before ("Pakistani troops", "Frontier Corps soldiers") is the lexicon's business.
    if (
      /[\p{Lu}][\p{L}'’-]*\s+$/u.test(text.slice(Math.max(clause.start, start - 25), start)) &&
      !/^(?:The|Own|Our)\b/.test(m[0])
    )
      continue;
    // "the military said": a speaker, not an actor.
    if (
      /^\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told|stated|claimed|announced|added|confirmed|reported)\b/i.test(
        text.slice(end, end + 30),
      )
    )
      continue;
    const subject = end <= trigger.start || /\bby\s+$/i.test(text.slice(Math.max(0, start - 4), start));
    if (subject) found = m[0];
  }
  return found;
}

export function partyOfCountry(country: string, ctx: Pick<ReadContext, 'lexicon'>): string | null {
  return ctx.lexicon.lexicon.parties.find((p) => p.countryPlace === country.toLowerCase())?.id ?? null;
}

function otherSide(party: string | null, ctx: Pick<ReadContext, 'lexicon'>): string | null {
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
