/**
 * Pure extraction: document text → proposed incidents (with one claim per supporting sentence and
 * speaker) and accords, every field with its evidence. Deterministic and free of I/O.
 *
 * Within a document, candidates of the same type family whose dates, places and actors agree are
 * one incident (the lead and a later paragraph describe the same strike). A sentence that gives
 * figures but names no event adds them to the latest candidate of the last three sentences whose
 * date agrees ("At least three … were killed" after the strike sentence).
 */
import type { Asserted } from '../domain/claim.ts';
import type { Gazetteer } from '../gazetteer/gazetteer.ts';
import { type Attribution, attribute } from './attribution.ts';
import { addDays, type DateMention, daysBetween, type ResolvedDate } from './dates.ts';
import { type CompiledLexicon, compileLexicon, type Lexicon, type SourceEntry } from './lexicon.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';
import { buildPlaceIndex, type PlaceIndex } from './places.ts';
import type {
  Extraction,
  ProposedAccord,
  ProposedClaim,
  ProposedDate,
  ProposedIncident,
} from './proposal.ts';
import { type Candidate, readSentence } from './sentence.ts';
import { splitSentences } from './sentences.ts';
import { findAccordTriggers, TYPE_FAMILY } from './triggers.ts';

export type Extractor = { lexicon: CompiledLexicon; places: PlaceIndex };

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

function sameEvent(a: ProposedIncident, b: Candidate): boolean {
  if (TYPE_FAMILY[a.type.value] !== TYPE_FAMILY[b.type]) return false;
  if (!datesAgree(a.date.value, b.date.value, 0)) return false;
  if (a.actor && b.actor && a.actor.value !== b.actor.value) return false;
  if (!a.place || !b.place) return true;
  const pa = a.place.value;
  const pb = b.place.value;
  if (pa.placeId === pb.placeId) return true;
  // A country-level place is compatible with anything inside that country.
  const holds = (outer: typeof pa, inner: typeof pa) =>
    outer.geoPrecision === 3 &&
    outer.country === inner.country &&
    (outer.admin1 === null || outer.admin1 === inner.admin1);
  return holds(pa, pb) || holds(pb, pa);
}

function claimOf(candidate: Candidate, speaker: Attribution): ProposedClaim {
  const asserted: Asserted = { type: candidate.type };
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

const LOCAL_OFFICIALS =
  /\b(?:local|provincial|district|police|security|health|government|border)\s+(?:[a-z]+\s+)?(?:officials?|authorities|sources|administration)\b(?:[^.;]{0,30}?\b(?:said|say|says|told|confirmed)\b)?/i;

/** "local officials said": officials of the side whose country the incident is in. */
function localOfficials(
  text: string,
  candidate: Pick<Candidate, 'place'>,
  extractor: Extractor,
): Attribution | null {
  if (!candidate.place || !LOCAL_OFFICIALS.test(text)) return null;
  const { lexicon } = extractor.lexicon;
  const party = lexicon.parties.find((p) => p.countryPlace === candidate.place?.value.country.toLowerCase());
  const source = party ? extractor.lexicon.sourceById.get(lexicon.officialSource[party.id] ?? '') : undefined;
  return source ? { source, mention: null, how: 'local officials of the country' } : null;
}

function titleOf(incident: ProposedIncident, lexicon: CompiledLexicon): string {
  const actor = incident.actor ? lexicon.actorById.get(incident.actor.value)?.name : undefined;
  const where = incident.place ? ` in ${incident.place.value.name}` : '';
  return `${TYPE_LABEL[incident.type.value]}${where}${actor ? ` (${actor})` : ''}`.slice(0, 300);
}

export function extract(body: string, options: ExtractOptions, extractor: Extractor): Extraction {
  const reference = options.publishedOn ?? options.today;
  const ctx = { lexicon: extractor.lexicon, places: extractor.places, reference };
  const sentences = splitSentences(body);
  const incidents: ProposedIncident[] = [];
  const accords: ProposedAccord[] = [];
  let previousDate: ResolvedDate | null = null;
  let previousSpeaker: Attribution | null = null;
  let last: { incident: ProposedIncident; sentence: number } | null = null;
  const recentBy: { incident: ProposedIncident; sentence: number }[] = [];
  const outlet: Attribution = { source: options.outlet, mention: null, how: 'outlet' };

  for (const sentence of sentences) {
    const named = attribute(sentence.text, extractor.lexicon, previousSpeaker);
    const speaker = named ?? outlet;
    const reading = readSentence(sentence, ctx, previousDate, speaker.source);
    for (const candidate of reading.candidates) {
      let incident = incidents.find((i) => sameEvent(i, candidate));
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
      addClaim(
        incident,
        claimOf(
          candidate,
          named ? speaker : (localOfficials(sentence.text, candidate, extractor) ?? speaker),
        ),
      );
      last = { incident, sentence: sentence.index };
      recentBy.push(last);
    }
    if (reading.candidates.length === 0 && last && sentence.index - last.sentence <= 3) {
      const named = reading.places.flatMap((m) => m.places);
      const recent = recentBy.filter((r) => sentence.index - r.sentence <= 3).map((r) => r.incident);
      const target =
        recent.find((i) =>
          named.some(
            (p) =>
              i.place &&
              (p.id === i.place.value.placeId || (p.admin1 !== null && p.admin1 === i.place.value.admin1)),
          ),
        ) ?? last.incident;
      const own = reading.dates.find((d) => !d.relative || d.precision === 'day');
      if (!own || datesAgree(own, target.date.value)) {
        const partyOf = (id: string | undefined) =>
          id ? (extractor.lexicon.actorById.get(id)?.partyId ?? null) : null;
        const placeSide =
          extractor.lexicon.lexicon.parties.find(
            (p) => p.countryPlace === target.place?.value.country.toLowerCase(),
          )?.id ?? null;
        const figures = reading.looseFigures(partyOf(target.target?.value), placeSide);
        const local = named ? null : localOfficials(sentence.text, { place: target.place }, extractor);
        if (figures.length > 0) {
          addClaim(target, {
            source: (local ?? speaker).source,
            how: (local ?? speaker).how,
            span: { start: sentence.start, end: sentence.end },
            quote: sentence.text,
            asserted: {},
            figures,
          });
          last.sentence = sentence.index;
        }
      }
    }
    readAccords(sentence, reading.dates, speaker, ctx.lexicon, accords, previousDate, reference);
    const settled = reading.dates.filter((d) => !(d.relative && d.precision === 'week'));
    if (settled.length > 0) {
      const d = settled[settled.length - 1]!;
      previousDate = { day: d.day, precision: d.precision };
    }
    previousSpeaker = named;
  }
  for (const incident of incidents) incident.title = titleOf(incident, extractor.lexicon);
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
    const own =
      dates.length > 0
        ? dates.reduce((a, b) =>
            Math.abs(b.start - trigger.start) < Math.abs(a.start - trigger.start) ? b : a,
          )
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
