/**
 * Casualty figures in one sentence: how many, killed or wounded, of which category, and whose losses.
 *
 * Whose losses (`side`, CODEBOOK § Reconciliation): a party's demonym in the noun phrase decides
 * ("58 Pakistani soldiers" → PK, "Taliban fighters" → AF); militants belong to no party (null);
 * "of their own", "our", the own-side word "martyred", and soldiers named by an affiliated speaker
 * without a demonym (a side names the enemy's) mean the speaker's side; otherwise soldiers are the
 * target's side and civilians the side whose country the incident is in.
 * Elided phrases borrow the previous figure's category and side ("…were killed, and several
 * others wounded"). Figures are deduplicated per (measure, category, side) within a sentence.
 */
import type { Figure, FigureCategory, Measure } from '../domain/figure.ts';
import type { CompiledLexicon } from './lexicon.ts';
import { findQuantities } from './numbers.ts';

export type FoundFigure = Figure & { start: number; end: number; cue: string };

export type SideContext = {
  /** Affiliation of the sentence's speaker, for "of their own" and "martyred". */
  speakerSide: string | null;
  /** Party of the incident's target actor, for soldiers named without a demonym. */
  targetSide: string | null;
  /** Party whose country the incident happened in, for civilians named without a demonym. */
  placeSide: string | null;
};

const KILLED =
  'killed|martyred|dead|died|slain|lost\\s+(?:their|his|her)\\s+lives|perished|embraced\\s+(?:martyrdom|shahadat)';
const WOUNDED = 'wounded|injured|hurt|maimed';
const AUX =
  '(?:(?:were|was|have|has|had|been|are|is|got|reportedly|also|all|later|allegedly|subsequently|being)\\s+)*';
/** Passive/stative: QTY [noun phrase] [aux] VERB. The noun phrase may not hold another verb or number. */
const AFTER = new RegExp(
  `^(?<np>(?:\\s+(?!(?:or|said|says|claimed|who|which|that|while|when)\\b)[\\p{L}'’-]+){0,7}?)\\s+${AUX}(?<verb>${KILLED}|${WOUNDED})\\b`,
  'iu',
);
/** Active: VERB QTY [noun phrase] ("killing 12 civilians", "left 5 people dead"). */
const BEFORE =
  /\b(?<verb>killing|killed|martyring|martyred|wounding|wounded|injuring|injured|claimed\s+the\s+lives\s+of|left|leaving|lost)\s+$/i;
const NP_AFTER =
  /^(?<np>(?:\s+(?!(?:and|or|in|on|at|during|near|when|while|after|before|including|since|from)\b)[\p{L}'’-]+){0,6})/iu;
const DEATH_TOLL =
  /\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths))\s+(?:\w+\s+){0,3}?(?:rose|climbed|reached|jumped|stood|stands|is|was|has\s+risen)\s+(?:to\s+|at\s+)?$/i;
const OWN = /\b(?:of\s+(?:their|its|our)\s+own|our|own)\b/i;
const MARTYR = /martyr|shahadat/i;

function measureOf(verb: string): Measure {
  return new RegExp(`^(?:${WOUNDED}|wounding|injuring)$`, 'i').test(verb) ? 'injuries' : 'fatalities';
}

function categorize(
  np: string,
  lexicon: CompiledLexicon,
): { category: FigureCategory; side?: string | null } | null {
  for (const { cue, re } of lexicon.categories) {
    if (re.test(np))
      return cue.side === undefined ? { category: cue.category } : { category: cue.category, side: cue.side };
  }
  return null;
}

function demonymSide(np: string, lexicon: CompiledLexicon): string | null {
  for (const { party, re } of lexicon.demonyms) {
    re.lastIndex = 0;
    if (re.test(np)) return party.id;
  }
  return null;
}

export function findFigures(text: string, lexicon: CompiledLexicon, context: SideContext): FoundFigure[] {
  const out: FoundFigure[] = [];
  let previous: { category: FigureCategory; side: string | null } | null = null;
  for (const q of findQuantities(text)) {
    const rest = text.slice(q.end, q.end + 120);
    const head = text.slice(Math.max(0, q.start - 60), q.start);
    let np = '';
    let verb: string | null = null;
    let end = q.end;
    const after = AFTER.exec(rest);
    const before = BEFORE.exec(head);
    const toll = DEATH_TOLL.test(head);
    if (after?.groups && findQuantities(after.groups.np ?? '').length === 0) {
      np = after.groups.np ?? '';
      verb = after.groups.verb!;
      end = q.end + after[0].length;
    } else if (before?.groups) {
      np = NP_AFTER.exec(rest)?.groups?.np ?? '';
      verb = before.groups.verb!;
      end = q.end + np.length;
      if (/^(?:left|leaving|lost)$/i.test(verb)) {
        const state = /^\s+(?:\w+\s+){0,2}?(dead|killed|injured|wounded)\b/i.exec(rest.slice(np.length));
        if (!state) continue;
        verb = state[1]!;
      }
    } else if (toll) {
      verb = 'dead';
      np = 'people';
    } else {
      continue;
    }
    // "three members of a local cricket team" reads its category from the whole phrase.
    const phrase = `${np} ${text.slice(end, end + 40)}`;
    const cat =
      categorize(np, lexicon) ??
      (np.trim() === '' || /^\s*(?:others?|more)\b/i.test(np) ? null : categorize(phrase, lexicon));
    const own = OWN.test(np);
    let category: FigureCategory;
    let side: string | null;
    if (cat === null || cat.category === 'unknown') {
      if (previous && (np.trim() === '' || /^\s*(?:others?|more|of\s+(?:their|its)\s+own)\b/i.test(np))) {
        category = previous.category;
        side = own ? context.speakerSide : previous.side;
      } else {
        category = cat?.category ?? 'unknown';
        side = demonymSide(np, lexicon) ?? (own ? context.speakerSide : null);
      }
    } else {
      category = cat.category;
      if (cat.side !== undefined) side = cat.side;
      else if (category === 'militant') side = null;
      else {
        side =
          demonymSide(np, lexicon) ??
          (own || MARTYR.test(verb) || category === 'military' ? context.speakerSide : null) ??
          (category === 'military' ? context.targetSide : context.placeSide);
      }
    }
    // People of no stated category are counted as losses of the country the incident is in.
    if (category === 'unknown' && side === null) side = context.placeSide;
    const figure: FoundFigure = {
      measure: measureOf(verb),
      category,
      side,
      value: q.value,
      qualifier: q.qualifier,
      start: q.start,
      end,
      cue: text.slice(q.start, end),
    };
    previous = { category, side };
    if (
      out.some(
        (f) => f.measure === figure.measure && f.category === figure.category && f.side === figure.side,
      )
    )
      continue;
    out.push(figure);
  }
  return out;
}
