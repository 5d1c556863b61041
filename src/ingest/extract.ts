/**
 * Pure extraction: document text → proposed incidents (with one claim per supporting sentence and
 * speaker) and accords, every field with its evidence. Deterministic and free of I/O.
 *
 * Within a document, candidates of the same type family whose dates, places and actors agree are
 * one incident (the lead and a later paragraph describe the same strike). A sentence that gives
 * figures but names no event adds them to the latest candidate of the last three sentences whose
 * date agrees ("At least three … were killed" after the strike sentence).
 *
 * Rules across sentences (general; party words come from the lexicon):
 *   - Role speakers (attribution.ts) the sentence leaves without a side are officials of the country
 *     of the incident their claim is about ("a provincial police spokesman said a shell struck
 *     Parachinar" → Pakistani officials). "The ministry said" reuses the latest speaker whose phrase
 *     had the head noun "ministry".
 *   - Responsibility named later: "The TTP claimed responsibility (for the attack)", "Afghan forces
 *     fired the shells", "X carried out the strike" give their actor to the latest incident of the
 *     last three sentences that has none, of the family the event noun names (any family for "attack").
 *   - Denial without a trigger: a named speaker who "denied that any strike had taken place",
 *     "dismissed the reports" or says "no such incident happened" makes a claim with
 *     asserted.happened = false on the latest incident of the last three sentences (of the family
 *     the noun names). Denied casualties are figures of 0 (casualties.ts), not denials of the event.
 */
import type { Asserted } from '../domain/claim.ts';
import type { Gazetteer } from '../gazetteer/gazetteer.ts';
import type { Place } from '../gazetteer/place.ts';
import { findActors } from './actors.ts';
import { type Attribution, attribute, findSpeakers, type SpeakerContext } from './attribution.ts';
import { addDays, type DateMention, daysBetween, type ResolvedDate } from './dates.ts';
import { type CompiledLexicon, compileLexicon, type Lexicon, type SourceEntry } from './lexicon.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';
import { buildPlaceIndex, choosePlace, findPlaces, type PlaceIndex } from './places.ts';
import type {
  Extraction,
  ProposedAccord,
  ProposedClaim,
  ProposedDate,
  ProposedIncident,
  ProposedPlace,
} from './proposal.ts';
import { type Candidate, partyOfCountry, readSentence } from './sentence.ts';
import { splitSentences } from './sentences.ts';
import { findAccordTriggers, TYPE_FAMILY } from './triggers.ts';

export type Extractor = { lexicon: CompiledLexicon; places: PlaceIndex };

const crossingCache = new WeakMap<PlaceIndex, ReadonlySet<string>>();
/** Ids of the gazetteer's crossings (a crossing lies on both sides: see sameEvent). */
function crossingsOf(extractor: Extractor): ReadonlySet<string> {
  let ids = crossingCache.get(extractor.places);
  if (!ids) {
    ids = new Set(
      extractor.places.gazetteer
        .all()
        .filter((p) => p.kind === 'crossing')
        .map((p) => p.id),
    );
    crossingCache.set(extractor.places, ids);
  }
  return ids;
}

export function createExtractor(gazetteer: Gazetteer, lexicon: Lexicon = PK_AF_LEXICON): Extractor {
  const compiled = compileLexicon(lexicon);
  return { lexicon: compiled, places: buildPlaceIndex(gazetteer, lexicon.metonyms) };
}

export type ExtractOptions = {
  /** Publication day (YYYY-MM-DD); without it dates resolve against `today`. */
  publishedOn?: string | undefined;
  today: string;
  /** The source a sentence without a named speaker is attributed to (the outlet). */
  outlet: SourceEntry;
};

const TYPE_LABEL: Record<string, string> = {
  airstrike: 'Airstrike',
  drone_strike: 'Drone strike',
  shelling: 'Shelling',
  armed_clash: 'Armed clash',
  militant_attack: 'Militant attack',
  crossing_closure: 'Crossing closed',
  crossing_reopening: 'Crossing reopened',
  other: 'Incident',
};

export function datesAgree(a: ProposedDate, b: ProposedDate, slack = 1): boolean {
  const window = (p: ProposedDate) => (p.precision === 'day' ? slack : p.precision === 'week' ? 7 : 31);
  return Math.abs(daysBetween(a.day, b.day)) <= Math.max(window(a), window(b));
}

function sameEvent(a: ProposedIncident, b: Candidate, crossings: ReadonlySet<string>): boolean {
  if (TYPE_FAMILY[a.type.value] !== TYPE_FAMILY[b.type]) return false;
  if (!datesAgree(a.date.value, b.date.value, 0)) return false;
  // An exchange of fire has two sides: "A opened fire … B returned fire" is one clash.
  const clash = a.type.value === 'armed_clash' && b.type === 'armed_clash';
  if (!clash && a.actor && b.actor && a.actor.value !== b.actor.value) return false;
  if (!a.place || !b.place) return true;
  const pa = a.place.value;
  const pb = b.place.value;
  if (pa.placeId === pb.placeId) return true;
  // A country-level place is compatible with anything inside that country, and a crossing (which
  // lies on both sides) with either country.
  const holds = (outer: typeof pa, inner: typeof pa) =>
    outer.geoPrecision === 3 &&
    outer.placeId === outer.country.toLowerCase() &&
    (outer.country === inner.country || crossings.has(inner.placeId));
  const within = (outer: typeof pa, inner: typeof pa) =>
    outer.geoPrecision === 3 &&
    outer.country === inner.country &&
    outer.admin1 !== null &&
    outer.admin1 === inner.admin1;
  return holds(pa, pb) || holds(pb, pa) || within(pa, pb) || within(pb, pa);
}

/** Event nouns that point back at an incident of one type ("killed in the exchange"). */
const NOUN_TYPE: [RegExp, string][] = [
  [
    /\b(?:exchanges?(?:\s+of\s+fire)?|clash(?:es)?|fighting|firefights?|gunfights?|gun\s?battles?)\b/i,
    'armed_clash',
  ],
  [/\b(?:shelling|shells?|mortars?|artillery|rockets?)\b/i, 'shelling'],
  [/\bdrone\s+(?:strikes?|attacks?)\b/i, 'drone_strike'],
  [/\b(?:air\s?strikes?|air\s+raids?|bombardment)\b/i, 'airstrike'],
  [/\b(?:bombings?|blasts?|explosions?|suicide\s+attacks?|ambush)\b/i, 'militant_attack'],
];

function partyOfActor(lexicon: CompiledLexicon, id: string | undefined): string | null {
  return id ? (lexicon.actorById.get(id)?.partyId ?? null) : null;
}

function claimOf(candidate: Candidate, speaker: Attribution): ProposedClaim {
  const asserted: Asserted = { type: candidate.type };
  if (candidate.denied) asserted.happened = false;
  if (candidate.actor) asserted.actorId = candidate.actor.value;
  if (candidate.target) asserted.targetId = candidate.target.value;
  if (candidate.place && candidate.place.value.geoPrecision < 3)
    asserted.placeId = candidate.place.value.placeId;
  if (candidate.retaliation) asserted.retaliation = true;
  return {
    source: speaker.source,
    how: speaker.how,
    span: { start: candidate.sentence.start, end: candidate.sentence.end },
    quote: candidate.sentence.text,
    asserted,
    figures: candidate.figures,
  };
}

function addClaim(incident: ProposedIncident, claim: ProposedClaim): void {
  const same = incident.claims.find(
    (c) => c.span.start === claim.span.start && c.source.id === claim.source.id,
  );
  const seen = (f: ProposedClaim['figures'][number]) =>
    incident.claims.some(
      (c) =>
        c.source.id === claim.source.id &&
        c.figures.some((g) => g.measure === f.measure && g.category === f.category && g.side === f.side),
    );
  const figures = claim.figures.filter((f) => !seen(f));
  if (same) same.figures.push(...figures);
  else incident.claims.push({ ...claim, figures });
}

const EVENT_NOUN =
  '(?:attacks?|assaults?|bombings?|blasts?|explosions?|suicide\\s+attack|air\\s?strikes?|drone\\s+strikes?|strikes?|raids?|ambush(?:es)?|shelling|shells|mortars?|rockets|artillery(?:\\s+fire)?|firing|incident)';
/** "… claimed responsibility (for the attack)", "… fired the shells": after the actor's name. */
const RESPONSIBLE_AFTER = new RegExp(
  `^\\s*(?:\\([^)]{1,40}\\)\\s*)?(?:,[^,.;]{1,60},\\s*)?(?:(?:has|have|had|later|also|quickly|reportedly)\\s+)*(?:(?:claimed|accepted|admitted|took)\\s+(?:the\\s+)?responsibility(?:\\s+for\\s+(?:the|this|that|these|those|[\\p{L}]+day's)\\s+(?:[\\p{L}-]+\\s+)?(?<noun1>${EVENT_NOUN}))?|(?:carried\\s+out|conducted|launched|fired|was\\s+behind|were\\s+behind)\\s+(?:the|this|that|these|those)\\s+(?:[\\p{L}-]+\\s+)?(?<noun2>${EVENT_NOUN}))`,
  'iu',
);
const RESPONSIBLE_BEFORE =
  /\bresponsibility\s+(?:for\s+(?:the|this|that)\s+(?:[\p{L}-]+\s+)?[\p{L}]+\s+)?(?:was|has\s+been|had\s+been)\s+claimed\s+by\s+(?:the\s+)?$/iu;
const DENY_EVENT = new RegExp(
  `\\b(?:den(?:y|ies|ied|ying)|rejected|rejects|dismissed|dismisses|refuted)\\s+(?:that\\s+)?(?:(?:any|the|such|an?|reports?\\s+(?:of|about)|claims?\\s+of)\\s+)*(?:(?<noun>${EVENT_NOUN})\\b|(?:the\\s+)?(?:reports?|claims?|allegations?)\\b(?!\\s+(?:of|that|about)\\b))|\\bno\\s+(?:such\\s+)?(?<noun2>${EVENT_NOUN})\\s+(?:has\\s+|had\\s+|ever\\s+)*(?:happened|taken\\s+place|occurred|took\\s+place)`,
  'iu',
);

/** Type family an event noun names ("shells" → ground), or null for any ("attack", "incident"). */
function familyOf(noun: string | undefined): string | null {
  if (!noun) return null;
  if (/strike|air/i.test(noun)) return TYPE_FAMILY.airstrike;
  if (/shell|mortar|rocket|artillery|firing/i.test(noun)) return TYPE_FAMILY.shelling;
  if (/bomb|blast|explosion|suicide|ambush/i.test(noun)) return TYPE_FAMILY.militant_attack;
  return null;
}

/** The actor a later sentence holds responsible, with the family of the event it names. */
function responsibility(
  text: string,
  lexicon: CompiledLexicon,
): { actor: string; cue: string; family: string | null } | null {
  if (!/responsib|carried\s+out|conducted|launched|fired|behind/i.test(text)) return null;
  for (const m of findActors(text, lexicon)) {
    if (m.value === 'civilians') continue;
    const lead = text.slice(0, m.start);
    if (/\b(?:den(?:y|ies|ied|ying)|rejected|dismissed|blamed|accused|if|would|could)\b/i.test(lead))
      continue;
    const after = RESPONSIBLE_AFTER.exec(text.slice(m.end, m.end + 160));
    if (after)
      return {
        actor: m.value,
        cue: text.slice(m.start, m.end + after[0].length),
        family: familyOf(after.groups?.noun1 ?? after.groups?.noun2),
      };
    if (RESPONSIBLE_BEFORE.test(text.slice(Math.max(0, m.start - 80), m.start)))
      return { actor: m.value, cue: m.text, family: null };
  }
  return null;
}

function titleOf(incident: ProposedIncident, lexicon: CompiledLexicon): string {
  const actor = incident.actor ? lexicon.actorById.get(incident.actor.value)?.name : undefined;
  const where = incident.place ? ` in ${incident.place.value.name}` : '';
  return `${TYPE_LABEL[incident.type.value]}${where}${actor ? ` (${actor})` : ''}`.slice(0, 300);
}

export function extract(body: string, options: ExtractOptions, extractor: Extractor): Extraction {
  const reference = options.publishedOn ?? options.today;
  const { lexicon } = extractor;
  const sentences = splitSentences(body);
  const incidents: ProposedIncident[] = [];
  const accords: ProposedAccord[] = [];
  let previousDate: ResolvedDate | null = null;
  let previousSpeaker: Attribution | null = null;
  let last: { incident: ProposedIncident; sentence: number } | null = null;
  const recentBy: { incident: ProposedIncident; sentence: number }[] = [];
  const outlet: Attribution = { source: options.outlet, mention: null, how: 'outlet' };
  const byHead = new Map<string, Attribution>();
  const crossingIds = crossingsOf(extractor);
  let carriedPlace: Place | null = null;
  let lastCrossing: { place: Place; sentence: number } | null = null;
  const officialOf = (party: string | null) =>
    party ? lexicon.sourceById.get(lexicon.lexicon.officialSource[party] ?? '') : undefined;
  const speakers: SpeakerContext = {
    placeParty: (text) => {
      const place = findPlaces(text, extractor.places)[0]?.places[0];
      return place ? partyOfCountry(place.country, { lexicon }) : null;
    },
    byHead,
  };
  /** A role speaker without a side speaks for the country of the incident its claim is about. */
  const resolve = (speaker: Attribution, place: ProposedPlace | null): Attribution => {
    if (!speaker.pending) return speaker;
    const source = officialOf(place ? partyOfCountry(place.country, { lexicon }) : null);
    if (source)
      return { ...speaker, source, pending: false, how: `${speaker.how}, of the country of ${place?.name}` };
    return {
      ...speaker,
      pending: false,
      how: `${speaker.how}; side unknown, claim left to ${speaker.source.id}`,
    };
  };
  const recentIncidents = (index: number, family: string | null) =>
    recentBy
      .filter(
        (r) => index - r.sentence <= 3 && (family === null || TYPE_FAMILY[r.incident.type.value] === family),
      )
      .map((r) => r.incident)
      .reverse();

  for (const sentence of sentences) {
    const mentions = findSpeakers(sentence.text, lexicon);
    const named = attribute(sentence.text, lexicon, previousSpeaker, speakers, options.outlet, mentions);
    const speaker = named ?? outlet;
    const latest = recentIncidents(sentence.index, null)[0];
    const areaPlace = latest?.place ? extractor.places.gazetteer.byId(latest.place.value.placeId) : null;
    const ctx = {
      lexicon,
      places: extractor.places,
      reference,
      areaPlace: areaPlace ?? null,
      carriedPlace,
      lastCrossing: lastCrossing
        ? { place: lastCrossing.place, near: sentence.index - lastCrossing.sentence <= 3 }
        : null,
    };
    const reading = readSentence(sentence, ctx, previousDate, speaker, resolve, mentions);
    let resolved: Attribution | null = named && !named.pending ? named : null;
    const before = new Set(incidents);
    for (const candidate of reading.candidates) {
      let incident = incidents.find((i) => sameEvent(i, candidate, crossingIds));
      if (!incident) {
        incident = {
          title: '',
          type: { value: candidate.type, evidence: { ...candidate.date.evidence, cue: candidate.typeCue } },
          date: candidate.date,
          place: candidate.place,
          actor: candidate.actor,
          target: candidate.target,
          claims: [],
        };
        incidents.push(incident);
      } else {
        // Later sentences fill in what earlier ones left open, and a day beats a week.
        if (
          candidate.place &&
          (!incident.place || candidate.place.value.geoPrecision < incident.place.value.geoPrecision)
        )
          incident.place = candidate.place;
        if (!incident.actor && candidate.actor) incident.actor = candidate.actor;
        if (!incident.target && candidate.target) incident.target = candidate.target;
        if (
          candidate.explicitDate &&
          incident.date.value.precision !== 'day' &&
          candidate.date.value.precision === 'day'
        )
          incident.date = candidate.date;
      }
      const who = named ? candidate.speaker : outlet;
      if (named) resolved ??= who;
      addClaim(incident, claimOf(candidate, who));
      last = { incident, sentence: sentence.index };
      recentBy.push(last);
    }
    // "The army said 15 fighters were killed, and that 12 civilians died when …": the 15 are the
    // previous incident's (sentence.ts, reported-speech coordination).
    const previousIncident = recentIncidents(sentence.index, null).find((i) => before.has(i));
    if (reading.candidates.length > 0 && previousIncident) {
      const place = previousIncident.place?.value ?? null;
      const who = named ? resolve(speaker, place) : outlet;
      const figures = reading.strayFigures(
        partyOfActor(lexicon, previousIncident.target?.value),
        place ? partyOfCountry(place.country, { lexicon }) : null,
        who.source.affiliation,
      );
      if (figures.length > 0)
        addClaim(previousIncident, {
          source: who.source,
          how: who.how,
          span: { start: sentence.start, end: sentence.end },
          quote: sentence.text,
          asserted: {},
          figures,
        });
    }
    // The incident whose place the sentence names (anywhere before), else the one its event noun
    // names, else the latest — the last two only within three sentences.
    const mentioned = reading.places.flatMap((m) => m.places);
    const byPlace =
      reading.candidates.length === 0 && mentioned.length > 0
        ? [...incidents]
            .reverse()
            .find((i) =>
              mentioned.some(
                (p) =>
                  i.place &&
                  (p.id === i.place.value.placeId ||
                    (p.kind !== 'country' && p.admin1 !== null && p.admin1 === i.place.value.admin1)),
              ),
            )
        : undefined;
    if (reading.candidates.length === 0 && last && (byPlace || sentence.index - last.sentence <= 3)) {
      const recent = recentIncidents(sentence.index, null);
      const nounType = NOUN_TYPE.find(([re]) => re.test(sentence.text))?.[1];
      const target =
        byPlace ?? recent.find((i) => nounType !== undefined && i.type.value === nounType) ?? last.incident;
      const own = reading.dates.find((d) => !d.relative || d.precision === 'day');
      if (!own || datesAgree(own, target.date.value)) {
        const placeSide = target.place ? partyOfCountry(target.place.value.country, { lexicon }) : null;
        const who = resolve(speaker, target.place?.value ?? null);
        const targetSide =
          partyOfActor(lexicon, target.target?.value) ??
          (target.type.value === 'militant_attack' ? placeSide : null);
        const figures = reading.looseFigures(targetSide, placeSide, who.source.affiliation);
        if (figures.length > 0) {
          addClaim(target, {
            source: who.source,
            how: who.how,
            span: { start: sentence.start, end: sentence.end },
            quote: sentence.text,
            asserted: {},
            figures,
          });
          if (named) resolved ??= who;
          last.sentence = sentence.index;
        }
      }
    }
    // "The TTP claimed responsibility for the attack": the actor of an incident told just before.
    const held = responsibility(sentence.text, lexicon);
    if (held) {
      const target = recentIncidents(sentence.index, held.family).find((i) => before.has(i) && !i.actor);
      if (target) {
        const evidence = { start: sentence.start, end: sentence.end, cue: held.cue };
        target.actor = { value: held.actor, evidence };
        const who = named ? resolve(speaker, target.place?.value ?? null) : outlet;
        addClaim(target, {
          source: who.source,
          how: who.how,
          span: { start: sentence.start, end: sentence.end },
          quote: sentence.text,
          asserted: { type: target.type.value, actorId: held.actor, responsibleId: held.actor },
          figures: [],
        });
      }
    }
    // "Mujahid denied that any strike had taken place": a claim that the incident did not happen.
    if (named && reading.candidates.length === 0) {
      const denial = DENY_EVENT.exec(sentence.text);
      const target = denial
        ? recentIncidents(sentence.index, familyOf(denial.groups?.noun ?? denial.groups?.noun2)).find((i) =>
            before.has(i),
          )
        : undefined;
      if (target) {
        const who = resolve(speaker, target.place?.value ?? null);
        const claim: ProposedClaim = {
          source: who.source,
          how: who.how,
          span: { start: sentence.start, end: sentence.end },
          quote: sentence.text,
          asserted: { type: target.type.value, happened: false },
          figures: [],
        };
        const same = target.claims.find(
          (c) => c.span.start === claim.span.start && c.source.id === claim.source.id,
        );
        if (same) same.asserted.happened = false;
        else target.claims.push(claim);
        resolved ??= who;
      }
    }
    readAccords(sentence, reading.dates, speaker, lexicon, accords, previousDate, reference);
    const settled = reading.dates.filter((d) => !(d.relative && d.precision === 'week'));
    if (settled.length > 0) {
      const d = settled[settled.length - 1]!;
      previousDate = { day: d.day, precision: d.precision };
    }
    if (named?.head && resolved && !resolved.pending) byHead.set(named.head, resolved);
    // Places the next sentences may point back at ("the crossing", a trigger with no place of its own).
    carriedPlace = null;
    for (const m of reading.places) {
      const place = choosePlace(m, sentence.text, false);
      if (place.kind !== 'country') carriedPlace = place;
      const crossing = choosePlace(m, sentence.text, true);
      if (
        crossing.kind === 'crossing' &&
        (place.kind === 'crossing' ||
          /^\s+(?:and\s+[\p{Lu}][\p{L}-]*\s+)?(?:border\s+)?(?:crossings?|gates?|terminals?|borders?)\b/iu.test(
            sentence.text.slice(m.end, m.end + 40),
          ))
      )
        lastCrossing = { place: crossing, sentence: sentence.index };
    }
    previousSpeaker = resolved ?? named;
  }
  for (const incident of incidents) incident.title = titleOf(incident, lexicon);
  return {
    reference: { day: reference, from: options.publishedOn ? 'published' : 'ingest time' },
    sentences: sentences.length,
    incidents,
    accords,
  };
}

function readAccords(
  sentence: { start: number; end: number; text: string },
  dates: DateMention[],
  speaker: Attribution,
  lexicon: CompiledLexicon,
  accords: ProposedAccord[],
  previousDate: ResolvedDate | null,
  reference: string,
): void {
  const evidence = (cue: string) => ({ start: sentence.start, end: sentence.end, cue });
  for (const trigger of findAccordTriggers(sentence.text)) {
    if (
      /\b(?:would|could|might|may|if|should|must|hope|hoped|call(?:ed|s)?\s+for|urg(?:e|ed|es))\b[^.;]*$/i.test(
        sentence.text.slice(0, trigger.start),
      )
    )
      continue;
    // A collapse is dated by its verb ("talks …, which began on Thursday, ended on Friday without …").
    const at = trigger.type === 'talks_collapsed' ? trigger.end : trigger.start;
    const own =
      dates.length > 0
        ? dates.reduce((a, b) => (Math.abs(b.start - at) < Math.abs(a.start - at) ? b : a))
        : null;
    let date: ProposedDate = own
      ? { day: own.day, precision: own.precision }
      : (previousDate ?? { day: reference, precision: 'week' });
    if (
      own &&
      own.end <= trigger.start &&
      /\b(?:days|a\s+day|hours)\s+after\b/i.test(sentence.text.slice(own.end, trigger.start))
    )
      date = { day: addDays(own.day, -3), precision: 'week' };
    lexicon.venue.lastIndex = 0;
    const venues = [...sentence.text.matchAll(lexicon.venue)];
    const venue = venues.length > 0 ? venues[0]![0] : null;
    const existing = accords.find(
      (a) =>
        (a.kind === trigger.type || (a.kind.startsWith('talks') && trigger.type.startsWith('talks'))) &&
        (!a.venue || !venue || a.venue.value === venue) &&
        datesAgree(a.date.value, date, 3),
    );
    const claim = {
      source: speaker.source,
      how: speaker.how,
      span: { start: sentence.start, end: sentence.end },
      quote: sentence.text,
    };
    if (existing) {
      if (trigger.type === 'talks_collapsed') existing.kind = 'talks_collapsed';
      if (!existing.venue && venue) existing.venue = { value: venue, evidence: evidence(venue) };
      if (own && existing.date.evidence.cue.startsWith('('))
        existing.date = { value: date, evidence: evidence(sentence.text.slice(own.start, own.end)) };
      if (!existing.claims.some((c) => c.span.start === claim.span.start)) existing.claims.push(claim);
      continue;
    }
    // "the breakdown of peace talks" with neither date nor venue is commentary, not a report.
    if (!own && !venue) continue;
    accords.push({
      kind: trigger.type,
      date: {
        value: date,
        evidence: evidence(own ? sentence.text.slice(own.start, own.end) : '(date carried)'),
      },
      venue: venue ? { value: venue, evidence: evidence(venue) } : null,
      claims: [claim],
    });
  }
}
