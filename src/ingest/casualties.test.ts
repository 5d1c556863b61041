/** Casualty rules: coordinated counts, breakdowns, single counts, state-before-noun, denied casualties. */
import { describe, expect, it } from 'vitest';
import { findFigures } from './casualties.ts';
import { compileLexicon } from './lexicon.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';

const lexicon = compileLexicon(PK_AF_LEXICON);
/** Figures as "measure category side value qualifier", an incident in AF told by an independent source. */
const figures = (text: string, speakerSide: string | null = null) =>
  findFigures(text, lexicon, { speakerSide, targetSide: 'PK', placeSide: 'AF' }).map(
    (f) => `${f.measure} ${f.category} ${f.side} ${f.value} ${f.qualifier}`,
  );

describe('rule "sum": coordinated counts under one verb', () => {
  it.each([
    ['A shell hit the compound, killing two women and a child.', ['fatalities civilian AF 3 exact']],
    ['Three boys and two girls were wounded in the blast.', ['injuries civilian AF 5 exact']],
    ['The strike killed a woman and four children.', ['fatalities civilian AF 5 exact']],
    ['At least two men and a boy were killed.', ['fatalities civilian AF 3 at_least']],
  ])('%s', (text, expected) => {
    expect(figures(text)).toEqual(expected);
  });
  it('keeps counts of different categories apart', () => {
    expect(figures('The blast wounded five soldiers and four civilians.', 'PK')).toEqual([
      'injuries military PK 5 exact',
      'injuries civilian AF 4 exact',
    ]);
  });
  it('does not add a second verb phrase to the chain', () => {
    expect(
      figures('The attack killed two women and a child and wounded four other members of the family.'),
    ).toEqual(['fatalities civilian AF 3 exact', 'injuries civilian AF 4 exact']);
  });
});

describe('breakdowns of a total are no figures of their own', () => {
  it.each([
    'Mortars killed 9 civilians, including three women and two children.',
    'Mortars killed 9 civilians, among them three women and two children.',
  ])('%s', (text) => {
    expect(figures(text)).toEqual(['fatalities civilian AF 9 exact']);
  });
  it('reads an apposition after a count as its breakdown', () => {
    expect(figures('The clinic took in four wounded villagers, three men and a girl, a nurse said.')).toEqual(
      ['injuries civilian AF 4 exact'],
    );
  });
});

describe('single counts, state before the noun, asides, "among the dead"', () => {
  it('reads "a civilian was killed" and "killing a child" as 1', () => {
    expect(figures('A civilian was killed.')).toEqual(['fatalities civilian AF 1 exact']);
    expect(figures('The drone hit a car, killing a child.')).toEqual(['fatalities civilian AF 1 exact']);
    expect(figures('The drone hit a car near a school.')).toEqual([]);
  });
  it('reads the noun after "wounded" in "six wounded residents"', () => {
    expect(figures('The hospital treated six wounded residents.')).toEqual(['injuries civilian AF 6 exact']);
  });
  it('skips an aside between the noun and the verb', () => {
    expect(figures('Seven guards, after a long firefight, were killed.', 'PK')).toEqual([
      'fatalities military PK 7 exact',
    ]);
  });
  it('counts "among the dead were N …"', () => {
    expect(figures('Among the dead were four students.')).toEqual(['fatalities civilian AF 4 exact']);
  });
  it('reads the military press idiom for killed militants and own soldiers', () => {
    expect(
      figures('Nine terrorists were neutralised and two sons of the soil embraced shahadat.', 'PK'),
    ).toEqual(['fatalities militant null 9 exact', 'fatalities military PK 2 exact']);
  });
});

describe('rule "zero": denied casualties', () => {
  it.each([
    [
      'The ministry denied that any civilians were harmed.',
      ['fatalities civilian AF 0 exact', 'injuries civilian AF 0 exact'],
    ],
    ['He said no civilians were killed.', ['fatalities civilian AF 0 exact']],
    [
      'Officials rejected reports of civilian casualties.',
      ['fatalities civilian AF 0 exact', 'injuries civilian AF 0 exact'],
    ],
    ['The army denied soldiers were wounded.', ['injuries military PK 0 exact']],
  ])('%s', (text, expected) => {
    expect(figures(text)).toEqual(expected);
  });
  it('reads "no casualties were reported" as the absence of a report, not a denial', () => {
    expect(figures('No civilian casualties were reported.')).toEqual([]);
    expect(figures('No deaths were reported.')).toEqual([]);
  });
});
