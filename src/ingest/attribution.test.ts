/** Speakers the lexicon does not name: role speakers, party speakers, named bodies (attribution.ts rules 1–3). */
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import { type Attribution, attribute, type SpeakerContext } from './attribution.ts';
import { createExtractor, extract } from './extract.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';
import { findPlaces } from './places.ts';
import { partyOfCountry } from './sentence.ts';

const extractor = createExtractor(loadGazetteer());
const { lexicon } = extractor;
const context: SpeakerContext = {
  placeParty: (text) => {
    const place = findPlaces(text, extractor.places)[0]?.places[0];
    return place ? partyOfCountry(place.country, { lexicon }) : null;
  },
};
const speaker = (text: string, previous: Attribution | null = null) => {
  const a = attribute(text, lexicon, previous, context, PK_AF_LEXICON.unattributed);
  return a ? `${a.source.id}${a.pending ? ' (pending)' : ''}` : null;
};

describe('rule 1: role speakers', () => {
  it.each([
    ['Two soldiers died, a senior Pakistani intelligence official said.', 'pk-officials'],
    ['The Afghan border brigade commander said his men held their posts.', 'af-officials'],
    ['Officials in Chaman said the market was hit.', 'pk-officials'],
    ['Kurram police chief said the road was closed.', 'pk-officials'],
    ["Pakistan's Ministry of Information said the claims were false.", 'pk-officials'],
    ['Security sources said the convoy was hit.', 'unattributed-press (pending)'],
    ['According to the post commander, one soldier was hurt.', 'unattributed-press (pending)'],
  ])('%s → %s', (text, id) => {
    expect(speaker(text)).toBe(id);
  });
  it('leaves the carrier as the fallback of a pending official', () => {
    expect(speaker('An official told Reuters the strike hit a house.')).toBe('reuters (pending)');
  });
  it('does not read a non-official as a role speaker', () => {
    expect(speaker('A shopkeeper told Reuters the strike hit a house.')).toBe('reuters');
  });
});

describe('rule 2: party speakers', () => {
  it.each([
    ['The Taliban denied the report.', 'af-officials'],
    ["Pakistan's government said the border would stay shut.", 'pk-officials'],
  ])('%s → %s', (text, id) => {
    expect(speaker(text)).toBe(id);
  });
  it('does not read "He said Pakistani strikes…" as a Pakistani speaker', () => {
    const mujahid: Attribution = {
      source: lexicon.sourceById.get('mujahid')!,
      mention: null,
      how: 'speaker',
    };
    expect(speaker('He said Pakistani strikes also hit two villages.', mujahid)).toBe('mujahid');
  });
});

describe('rule 3: named bodies', () => {
  it('makes an unknown body its own unclassified source', () => {
    const a = attribute('The Kandahar Traders Union said shops were shut.', lexicon, null, context);
    expect(a?.source).toMatchObject({
      id: 'kandahar-traders-union',
      kind: 'ngo',
      affiliation: null,
      reliability: 'F',
    });
  });
  it('prefers the whole body name over the demonym inside it', () => {
    expect(speaker('The Afghanistan Red Crescent Society said two volunteers were hurt.')).toBe(
      'afghanistan-red-crescent-society',
    );
  });
});

describe('extract: role speakers resolved by the incident, and "the ministry" later', () => {
  const run = (text: string) =>
    extract(
      text,
      { publishedOn: '2025-10-18', today: '2025-12-31', outlet: PK_AF_LEXICON.unattributed },
      extractor,
    );
  it('gives a pending role speaker the country of the incident its claim is about', () => {
    const r = run(
      'A mortar shell struck a house in Parachinar on Friday, killing a boy, a district police spokesman said.',
    );
    expect(r.incidents[0]?.claims[0]?.source.id).toBe('pk-officials');
  });
  it('resolves "the ministry" to the ministry named before', () => {
    const r = run(
      "Pakistan's Ministry of Defence said Afghan forces attacked Pakistani posts near Chaman on Friday. Residents said the firing lasted an hour. A statement from the ministry said 4 Taliban fighters were killed.",
    );
    const claims = r.incidents.flatMap((i) => i.claims).filter((c) => c.figures.length > 0);
    expect(claims.map((c) => c.source.id)).toEqual(['pk-officials']);
  });
});
