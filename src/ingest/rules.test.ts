/**
 * The sentence and cross-sentence rules of sentence.ts and extract.ts, each on text written for the
 * test (not fixture text): operations, responsibility named later, denials, datelines, places,
 * dates, crossings, actors and merging.
 */
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import { findDates } from './dates.ts';
import { createExtractor, extract } from './extract.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';

const extractor = createExtractor(loadGazetteer());
/** Published Saturday 18 October 2025. */
const run = (text: string, publishedOn = '2025-10-18') =>
  extract(text, { publishedOn, today: '2025-12-31', outlet: PK_AF_LEXICON.unattributed }, extractor);
const brief = (text: string, publishedOn?: string) =>
  run(text, publishedOn).incidents.map(
    (i) => `${i.type.value} ${i.date.value.day} ${i.place?.value.placeId ?? '-'} ${i.actor?.value ?? '-'}`,
  );
const figuresOf = (text: string) =>
  run(text).incidents.map((i) =>
    i.claims.flatMap((c) => c.figures.map((f) => `${f.category} ${f.side} ${f.value} ${c.source.id}`)),
  );

describe('operation: a follow-up operation with its own figure is its own incident', () => {
  it('splits the attack and the operation, and places the operation "in the area"', () => {
    const text =
      'A suicide bomber attacked a checkpoint in Bannu on Friday, killing three soldiers, the military said. Troops later killed 6 militants in a clearance operation in the area, the military said.';
    expect(brief(text)).toEqual([
      'militant_attack 2025-10-17 pk-kp-bannu -',
      'armed_clash 2025-10-17 pk-kp-bannu PK.military',
    ]);
    expect(figuresOf(text)[1]).toEqual(['militant null 6 ispr']);
  });
  it('makes no incident of an operation without a figure', () => {
    expect(brief('A search operation is under way in Bannu.')).toEqual([]);
  });
});

describe('responsibility named later', () => {
  it('gives "X claimed responsibility" to the incident just told', () => {
    const text =
      'A roadside bomb hit a police van in Bannu on Friday, killing two policemen. The TTP claimed responsibility for the bombing.';
    expect(brief(text)).toEqual(['militant_attack 2025-10-17 pk-kp-bannu TTP']);
  });
  it('gives "Afghan forces fired the shells" to the shelling, not to another incident', () => {
    const text =
      'Mortar shells struck Parachinar on Friday. Officials said Afghan forces fired the shells after a Pakistani drone strike in Khost.';
    expect(brief(text)[0]).toBe('shelling 2025-10-17 pk-kp-kurram-parachinar AF.forces');
  });
  it('ignores a denial of responsibility', () => {
    const text =
      'A roadside bomb hit a police van in Bannu on Friday. The TTP denied carrying out the attack.';
    expect(brief(text)).toEqual(['militant_attack 2025-10-17 pk-kp-bannu -']);
  });
});

describe('denials', () => {
  const denied = (text: string) =>
    run(text).incidents.map((i) =>
      i.claims.filter((c) => c.asserted.happened === false).map((c) => c.source.id),
    );
  it('records a speaker who denies the event as happened = false', () => {
    expect(
      denied(
        'Pakistani officials said jets struck a compound in Barmal on Friday. Zabihullah Mujahid denied that any strike had taken place.',
      ),
    ).toEqual([['mujahid']]);
  });
  it('keeps a trigger after "denied that" as a denied claim', () => {
    expect(denied('The Taliban denied that Pakistani drones struck Khost on Friday.')).toEqual([
      ['af-officials'],
    ]);
  });
  it('does not read a denial of one’s own part as a denial that it happened', () => {
    expect(
      denied(
        'Shells landed in Chaman on Friday. The Afghan border commander denied that his forces had fired any shells.',
      ),
    ).toEqual([[]]);
  });
});

describe('places', () => {
  it('ignores the dateline', () => {
    expect(
      brief(
        'KARACHI, Pakistan, Oct 18 (Reuters) - Afghan forces attacked Pakistani posts in Kurram on Thursday.',
      ),
    ).toEqual(['armed_clash 2025-10-16 pk-kp-kurram AF.forces']);
  });
  it('prefers the trigger clause and reads "blamed on Islamabad" as the government', () => {
    expect(
      brief(
        'Bajaur has been tense since Pakistani air strikes in Khost on Friday, which Kabul blamed on Islamabad.',
      ),
    ).toEqual(['airstrike 2025-10-17 af-khost PK.military']);
  });
  it('makes several incidents only of coordinated places, each with its own figure', () => {
    expect(
      figuresOf(
        'Pakistani strikes hit the Barmal district of Paktika on Friday, killing two children, and the Gurbuz district of Khost, killing 5 civilians.',
      ),
    ).toEqual([['civilian AF 2 unattributed-press'], ['civilian AF 5 unattributed-press']]);
    expect(
      brief(
        'Jets struck a camp in Barmal on Friday that had sheltered militants involved in attacks in Bannu.',
      ),
    ).toHaveLength(1);
  });
  it('carries the place of the previous sentence to a trigger with figures and no place', () => {
    expect(
      brief(
        'Militants tried to cross into Bajaur on Friday. After an exchange of fire, 7 militants were killed.',
      ),
    ).toEqual(['armed_clash 2025-10-17 pk-kp-bajaur -']);
  });
});

describe('crossings', () => {
  it('reads "remained closed" as a state, and "shut since <date>" as the closure on that date', () => {
    expect(brief('The Torkham crossing remained closed on Friday.')).toEqual([]);
    expect(brief('The Kharlachi crossing has been shut since October 12.')).toEqual([
      'crossing_closure 2025-10-12 xing-kharlachi -',
    ]);
  });
  it('gives "the crossing" the crossing named before', () => {
    expect(
      brief(
        'Trucks queued at Torkham on Friday. Traders waited for hours. Pakistan closed the crossing on Saturday.',
      ),
    ).toEqual(['crossing_closure 2025-10-18 xing-torkham PK.military']);
  });
});

describe('dates', () => {
  it('reads "a day after" / "three days after" from the date the text set', () => {
    expect(
      brief(
        'Pakistani jets struck Khost on Friday. The strikes came three days after a suicide bombing in Bannu.',
      ),
    ).toEqual(['airstrike 2025-10-17 af-khost PK.military', 'militant_attack 2025-10-14 pk-kp-bannu -']);
  });
  it('keeps a date inside an aside to the aside', () => {
    expect(
      brief(
        'Shells landed near Ghulam Khan on Friday. The crossing, which had reopened on 10 October, was closed again the same day.',
      ),
    ).toContain('crossing_closure 2025-10-17 xing-ghulam-khan -');
  });
  it('reads "mid-October" as the week of the 15th', () => {
    expect(findDates('shut since mid-October', '2025-11-02', null)[0]).toMatchObject({
      day: '2025-10-13',
      precision: 'week',
    });
  });
});

describe('actors and merging', () => {
  it('gives an air strike told by one side in the other side’s country to the teller', () => {
    expect(
      brief('According to Pakistani officials, an airstrike in Khost on Friday killed a militant commander.'),
    ).toEqual(['airstrike 2025-10-17 af-khost PK.military']);
  });
  it('reads unnamed security forces as the forces of the incident’s country', () => {
    expect(
      brief('Security forces killed 4 militants in an intelligence-based operation in Bannu on Friday.'),
    ).toEqual(['armed_clash 2025-10-17 pk-kp-bannu PK.military']);
  });
  it('reads a passive agent that is also a speaker, and a name running into the trigger', () => {
    expect(brief('The Torkham crossing was closed by Pakistani authorities on Friday.')).toEqual([
      'crossing_closure 2025-10-17 xing-torkham PK.military',
    ]);
    expect(brief('A Pakistani drone strike hit Khost on Friday.')).toEqual([
      'drone_strike 2025-10-17 af-khost PK.military',
    ]);
  });
  it('lets a lexicon speaker act when it does not speak', () => {
    expect(brief('Pakistani military forces fired mortars into Dangam on Friday, killing a woman.')).toEqual([
      'shelling 2025-10-17 af-kunar-dangam PK.military',
    ]);
  });
  it('reads state forces that bomb as an airstrike', () => {
    expect(brief('Pakistani forces bombed a house in Gurbuz on Friday.')).toEqual([
      'airstrike 2025-10-17 af-khost-gurbuz PK.military',
    ]);
  });
  it('keeps one clash when the other side returns fire, and a crossing with a country-level place', () => {
    expect(
      brief(
        'Afghan forces attacked Pakistani posts at the Chaman crossing on Friday. Pakistani troops retaliated in an exchange of fire on Pakistani posts the same day.',
      ),
    ).toEqual(['armed_clash 2025-10-17 xing-chaman-spin-boldak AF.forces']);
  });
  it('attaches "killed in the exchange" to the clash, not to a later shelling', () => {
    const text =
      'Afghan forces attacked Pakistani posts in Kurram on Friday. A shell struck a house in Parachinar the same day. Mujahid said two Afghan guards were killed in the exchange.';
    expect(figuresOf(text)[0]).toContain('military AF 2 mujahid');
  });
  it('gives a reported "…, and that …" part with no trigger to the incident told before', () => {
    const text =
      'Afghan and Pakistani forces clashed in Spin Boldak on Wednesday. The army said 30 Taliban fighters were killed, and that 4 civilians died when Taliban fighters shelled Chaman.';
    expect(figuresOf(text)).toEqual([['military AF 30 ispr'], ['civilian PK 4 ispr']]);
  });
});
