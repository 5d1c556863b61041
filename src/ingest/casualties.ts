/**
 * Casualty figures in one sentence: how many, killed or wounded, of which category, and whose losses.
 *
 * Whose losses (`side`, CODEBOOK § Reconciliation): a party's demonym in the noun phrase decides
 * ("58 Pakistani soldiers" → PK, "Taliban fighters" → AF); militants belong to no party (null);
 * "of their own", "our", the own-side word "martyred", and soldiers named by an affiliated speaker
 * without a demonym (a side names the enemy's) mean the speaker's side; otherwise soldiers are the
 * target's side and civilians the side whose country the incident is in.
 * "Among the dead were N …" counts N of the dead (or wounded) that the sentence names; "a civilian
 * was killed", "killing a child" count 1; "three wounded civilians" reads the noun after the state;
 * an aside between the noun and the verb ("five soldiers, having fought bravely, were martyred") is
 * skipped.
 * Elided phrases borrow the previous figure's category and side ("…were killed, and several
 * others wounded"). Callers keep one figure per (measure, category, side) and incident (dedupeFigures),
 * after a sentence's figures are shared out among its places.
 *
 * Coordinated counts (rule "sum"): counts joined by "and" or commas under one verb are added per
 * category and side — "killing two women and a child" is 3 civilians, "nine children and a woman"
 * 10; "a"/"an"/"one" count as 1 only inside such a chain. Counts of different categories stay
 * apart ("5 soldiers and 4 civilians were wounded" → 5 military, 4 civilian). A breakdown of a
 * total is never added: counts after "including", "among them", "of whom", or in an apposition
 * after a count ("three wounded civilians, two men and a boy") are not figures at all.
 * Denied casualties (rule "zero"): a denial of harm to a category is that source's figure of 0 —
 * "denied (that) (any) civilians were hurt", "no civilians were killed", "rejected reports of
 * civilian casualties". "killed/died/dead/deaths" deny fatalities, "wounded/injured/injuries" deny
 * injuries, "hurt/harmed/casualties" deny both. "No casualties were reported" is the absence of a
 * report, not a denial, and gives nothing.
 */
import type { Figure, FigureCategory, Measure } from '../domain/figure.ts';
import type { CompiledLexicon } from './lexicon.ts';
import { findQuantities, type Quantity } from './numbers.ts';

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
  'killed|martyred|dead|died|slain|lost\\s+(?:their|his|her)\\s+lives|perished|embraced\\s+(?:martyrdom|shahadat)|neutrali[sz]ed|eliminated|sent\\s+to\\s+hell|shot\\s+dead';
const WOUNDED = 'wounded|injured|hurt|maimed';
const AUX =
  '(?:(?:were|was|have|has|had|been|are|is|got|reportedly|also|all|later|allegedly|subsequently|being)\\s+)*';
/** Passive/stative: QTY [noun phrase] [aux] VERB. The noun phrase may not hold another verb or number. */
const AFTER = new RegExp(
  `^(?<np>(?:\\s+(?!(?:or|said|says|claimed|who|which|that|while|when)\\b)[\\p{L}'’-]+){0,7}?)(?<aside>,\\s*[^,.;:\\d]{1,40},)?\\s+${AUX}(?<verb>${KILLED}|${WOUNDED})\\b`,
  'iu',
);
/** Active: VERB QTY [noun phrase] ("killing 12 civilians", "left 5 people dead"). */
const BEFORE =
  /\b(?<verb>killing|killed|martyring|martyred|wounding|wounded|injuring|injured|neutrali[sz]ing|neutrali[sz]ed|eliminating|eliminated|claimed\s+the\s+lives\s+of|left|leaving|lost)\s+["“]?$/i;
/** "a civilian was killed", "killing a child": one, named by the article. */
const SINGLE = new RegExp(
  `\\b(?:(?<lead>killing|killed|wounding|wounded|injuring|injured)\\s+)?(?:a|an)\\s+(?<np>(?:[\\p{L}'’-]+\\s+){0,2}?[\\p{L}'’-]+)(?:\\s+(?:was|has\\s+been|had\\s+been)\\s+(?:reportedly\\s+|also\\s+)?(?<verb>${KILLED}|${WOUNDED}))?\\b`,
  'giu',
);
const ARTICLE_COUNT = /\b(?:killing|killed|wounding|wounded|injuring|injured)\s+(an?)(?=\s)/gi;
/** "three wounded civilians": the state stands before the noun. */
const STATE_THEN_NOUN = /^\s+(?:killed|wounded|injured|dead)$/i;
const NP_AFTER =
  /^(?<np>(?:\s+(?!(?:and|or|in|on|at|during|near|when|while|after|before|including|since|from)\b)[\p{L}'’-]+){0,6})/iu;
const DEATH_TOLL =
  /\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths))\s+(?:\w+\s+){0,3}?(?:rose|climbed|reached|jumped|stood|stands|is|was|has\s+risen)\s+(?:to\s+|at\s+)?$/i;
/** "Among the dead were three members…": a count of the dead or wounded named before it. */
const AMONG = /\bamong\s+the\s+(?<state>dead|killed|victims|wounded|injured)\s+(?:were|was|are|is)\s+$/i;
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

const CHAIN_NP = new RegExp(
  `^(?:\\s+(?!(?:and|or|were|was|had|have|has|are|is|in|on|at|of|from|who|which|that|including|among|with|while|when|after|before|by|${KILLED}|${WOUNDED}|killing|wounding|injuring)\\b)[\\p{L}'’-]+){1,3}`,
  'iu',
);
const CHAIN_JOIN = /^(?:\s*,\s*(?:and\s+)?|\s+and\s+)/i;
const CHAIN_ONE = /^(?:a|an|one)\b/i;
const VERB_NEXT = new RegExp(`^\\s+${AUX}(?<verb>${KILLED}|${WOUNDED})\\b`, 'iu');
/** Words before a count that make it part of a breakdown of a total already given. */
const SUBSET = /\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|such\s+as)\s*$/i;
const VERBISH = new RegExp(`\\b(?:${KILLED}|${WOUNDED}|killing|wounding|injuring|said|says|told)\\b`, 'i');

/** "three wounded civilians, two men and a boy": a count right after a comma that breaks down the previous one. */
function isApposition(
  text: string,
  q: Quantity,
  previous: Quantity | undefined,
  lexicon: CompiledLexicon,
): boolean {
  if (!previous) return false;
  const between = text.slice(previous.end, q.start);
  if (between.length > 50 || !/,\s*$/.test(between) || /[.;:]/.test(between) || VERBISH.test(between))
    return false;
  const total = categorize(between, lexicon);
  const part = CHAIN_NP.exec(text.slice(q.end, q.end + 60));
  const mine = part ? categorize(part[0], lexicon) : null;
  return total !== null && mine !== null && total.category === mine.category;
}

type Element = { value: number; np: string; start: number; end: number };

/** "two women and a child": the elements of a coordinated count starting at `q`, or null. */
function readChain(
  text: string,
  q: Quantity,
  quantities: Quantity[],
  lexicon: CompiledLexicon,
): { elements: Element[]; end: number } | null {
  const first = CHAIN_NP.exec(text.slice(q.end, q.end + 60));
  if (!first || !categorize(first[0], lexicon)) return null;
  const elements: Element[] = [
    { value: q.value, np: first[0], start: q.start, end: q.end + first[0].length },
  ];
  let at = q.end + first[0].length;
  for (;;) {
    const join = CHAIN_JOIN.exec(text.slice(at, at + 12));
    if (!join) break;
    const from = at + join[0].length;
    const rest = text.slice(from, from + 60);
    const counted = quantities.find((x) => x.start === from);
    const one = counted ? null : CHAIN_ONE.exec(rest);
    if (!counted && !one) break;
    const qEnd = counted ? counted.end : from + one![0].length;
    const np = CHAIN_NP.exec(text.slice(qEnd, qEnd + 60));
    if (!np || /^\s*(?:others?|more)\b/i.test(np[0]) || !categorize(np[0], lexicon)) break;
    elements.push({ value: counted ? counted.value : 1, np: np[0], start: from, end: qEnd + np[0].length });
    at = qEnd + np[0].length;
  }
  return elements.length >= 2 ? { elements, end: at } : null;
}

const ZERO = new RegExp(
  `(?:\\b(?:den(?:y|ies|ied|ying)|rejected|rejects|dismissed|dismisses|refuted)\\s+(?:(?:that|reports?\\s+(?:of|that)|claims?\\s+(?:of|that)|allegations?\\s+(?:of|that))\\s+)?(?:there\\s+(?:were|was|had\\s+been)\\s+)?(?:any\\s+)?(?<np>(?:[\\p{L}'’-]+\\s+){0,2}?)(?:(?<noun>[\\p{L}'’-]+)\\s+${AUX}(?<verb>killed|died|dead|wounded|injured|hurt|harmed)|(?<cas>casualties|deaths|fatalities|injuries))|\\bno\\s+(?<np2>(?:[\\p{L}'’-]+\\s+){0,2}?)(?:(?<noun2>[\\p{L}'’-]+)\\s+(?:were|was|had\\s+been|have\\s+been|has\\s+been)\\s+(?<verb2>killed|wounded|injured|hurt|harmed)|(?<cas2>casualties|deaths|fatalities|injuries)(?!\\s+(?:were|was|have\\s+been|had\\s+been|has\\s+been)\\s+(?:reported|recorded|documented|known|confirmed))))\\b`,
  'giu',
);

/** Rule "zero": figures of 0 for the harm a source denies. */
const ZERO_CUE = /\b(?:den(?:y|ies|ied|ying)|reject(?:ed|s)?|dismiss(?:ed|es)?|refuted|no)\b/i;

function findZeroFigures(text: string, lexicon: CompiledLexicon, context: SideContext): FoundFigure[] {
  const out: FoundFigure[] = [];
  if (!ZERO_CUE.test(text)) return out;
  ZERO.lastIndex = 0;
  for (let m = ZERO.exec(text); m; m = ZERO.exec(text)) {
    const g = m.groups ?? {};
    const np = `${g.np ?? g.np2 ?? ''}${g.noun ?? g.noun2 ?? ''}`;
    const word = (g.verb ?? g.verb2 ?? g.cas ?? g.cas2 ?? '').toLowerCase();
    const cat = categorize(np, lexicon);
    if (!cat || cat.category === 'unknown') continue;
    const measures: Measure[] = /^(?:killed|died|dead|deaths|fatalities)$/.test(word)
      ? ['fatalities']
      : /^(?:wounded|injured|injuries)$/.test(word)
        ? ['injuries']
        : ['fatalities', 'injuries'];
    const side =
      cat.side !== undefined
        ? cat.side
        : cat.category === 'militant'
          ? null
          : (demonymSide(np, lexicon) ??
            (cat.category === 'military' ? context.targetSide : context.placeSide));
    for (const measure of measures)
      out.push({
        measure,
        category: cat.category,
        side,
        value: 0,
        qualifier: 'exact',
        start: m.index,
        end: m.index + m[0].length,
        cue: m[0],
      });
  }
  return out;
}

/** The same phrase read twice (a count and its article, a chain and its first count) is one figure. */
function pushFigure(out: FoundFigure[], figure: FoundFigure): void {
  if (
    !out.some(
      (f) =>
        f.measure === figure.measure &&
        f.category === figure.category &&
        f.side === figure.side &&
        f.start < figure.end &&
        figure.start < f.end,
    )
  )
    out.push(figure);
}

/** One figure per (measure, category, side): the first the sentence gives (callers apply it per incident). */
export function dedupeFigures<F extends { measure: string; category: string; side: string | null }>(
  figures: F[],
): F[] {
  return figures.filter(
    (f, i) =>
      figures.findIndex((g) => g.measure === f.measure && g.category === f.category && g.side === f.side) ===
      i,
  );
}

/** Whose losses a figure of `category` named by `np` with `verb` are (see the header). */
function sideOf(
  cat: { category: FigureCategory; side?: string | null },
  np: string,
  verb: string,
  lexicon: CompiledLexicon,
  context: SideContext,
): string | null {
  if (cat.side !== undefined) return cat.side;
  if (cat.category === 'militant') return null;
  const own = OWN.test(np);
  return (
    demonymSide(np, lexicon) ??
    (own || MARTYR.test(verb) || cat.category === 'military' ? context.speakerSide : null) ??
    (cat.category === 'military' ? context.targetSide : context.placeSide)
  );
}

/** Every figure needs one of these words (a cheap test before the real work). */
const HARM = new RegExp(
  `\\b(?:${KILLED}|${WOUNDED}|killing|wounding|injuring|martyring|neutrali[sz]ing|eliminating|claimed\\s+the\\s+lives|toll|deaths|casualties|fatalities|injuries|harmed)\\b`,
  'i',
);

export function findFigures(text: string, lexicon: CompiledLexicon, context: SideContext): FoundFigure[] {
  const out: FoundFigure[] = [];
  if (!HARM.test(text)) return out;
  let previous: { category: FigureCategory; side: string | null } | null = null;
  const quantities = findQuantities(text);
  // "killing a woman and two children": the article right after the verb starts a count of one.
  if (/\b(?:killing|killed|wounding|wounded|injuring|injured)\s+an?\s/i.test(text)) {
    ARTICLE_COUNT.lastIndex = 0;
    for (let m = ARTICLE_COUNT.exec(text); m; m = ARTICLE_COUNT.exec(text)) {
      const start = m.index + m[0].length - m[1]!.length;
      quantities.push({ value: 1, qualifier: 'exact', start, end: start + m[1]!.length, vague: false });
    }
    quantities.sort((a, b) => a.start - b.start);
  }
  const push = (figure: FoundFigure) => pushFigure(out, figure);
  let consumed = 0;
  for (const [i, q] of quantities.entries()) {
    if (q.start < consumed) continue;
    const rest = text.slice(q.end, q.end + 120);
    const head = text.slice(Math.max(0, q.start - 60), q.start);
    const chain = readChain(text, q, quantities, lexicon);
    // A breakdown of a total ("including two women and a child") is no figure of its own.
    if (SUBSET.test(head) || isApposition(text, q, quantities[i - 1], lexicon)) {
      if (chain) consumed = chain.end;
      continue;
    }
    if (chain) {
      const verbAfter = VERB_NEXT.exec(text.slice(chain.end, chain.end + 60));
      const verbBefore = BEFORE.exec(head);
      const verb = verbAfter?.groups?.verb ?? verbBefore?.groups?.verb;
      if (verb && !/^(?:left|leaving|lost)$/i.test(verb)) {
        consumed = chain.end;
        const groups = new Map<string, FoundFigure>();
        for (const el of chain.elements) {
          const cat = categorize(el.np, lexicon)!;
          const side = sideOf(cat, el.np, verb, lexicon, context);
          const key = `${cat.category}|${side}`;
          const sum = groups.get(key);
          if (sum) {
            sum.value += el.value;
            sum.end = el.end;
            sum.cue = text.slice(sum.start, sum.end);
          } else
            groups.set(key, {
              measure: measureOf(verb),
              category: cat.category,
              side,
              value: el.value,
              qualifier: q.qualifier,
              start: el.start,
              end: el.end,
              cue: text.slice(el.start, el.end),
            });
        }
        for (const f of groups.values()) {
          push(f);
          previous = { category: f.category, side: f.side };
        }
        continue;
      }
    }
    let np = '';
    let verb: string | null = null;
    let end = q.end;
    const after = AFTER.exec(rest);
    const before = BEFORE.exec(head);
    const toll = DEATH_TOLL.test(head);
    if (
      after?.groups &&
      findQuantities(after.groups.np ?? '').length === 0 &&
      !VERBISH.test(after.groups.aside ?? '')
    ) {
      np = after.groups.np ?? '';
      verb = after.groups.verb!;
      end = q.end + after[0].length;
      if (np === '' && STATE_THEN_NOUN.test(after[0])) {
        const noun = /^\s+(?:[\p{L}'’-]+\s+)?[\p{L}'’-]+/u.exec(rest.slice(after[0].length));
        if (noun && categorize(noun[0], lexicon)) {
          np = noun[0];
          end += noun[0].length;
        }
      }
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
    } else if (AMONG.test(head)) {
      const state = AMONG.exec(head)!.groups!.state!;
      verb = /wounded|injured/i.test(state) ? state : 'dead';
      np = NP_AFTER.exec(rest)?.groups?.np ?? '';
      end = q.end + np.length;
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
    push(figure);
  }
  for (const one of findSingles(text, lexicon, context)) push(one);
  for (const zero of findZeroFigures(text, lexicon, context)) push(zero);
  return out;
}

/** "a civilian was killed", "killing a child": figures of 1 (the article is not read as a number elsewhere). */
function findSingles(text: string, lexicon: CompiledLexicon, context: SideContext): FoundFigure[] {
  if (!/\ban?\s/i.test(text)) return [];
  const out: FoundFigure[] = [];
  SINGLE.lastIndex = 0;
  for (let m = SINGLE.exec(text); m; m = SINGLE.exec(text)) {
    const g = m.groups ?? {};
    const verb = g.verb ?? g.lead;
    if (!verb || (g.lead && g.verb)) continue;
    // Only the noun phrase right after the article, up to the first non-noun word.
    const np = g.np!;
    if (SUBSET.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    if (
      isApposition(
        text,
        { value: 1, qualifier: 'exact', start: m.index, end: m.index, vague: false },
        undefined,
        lexicon,
      )
    )
      continue;
    const cat = categorize(np, lexicon);
    if (!cat || cat.category === 'unknown') continue;
    // "killing a child" but not "killing a child's father": the noun must end the phrase.
    if (
      g.lead &&
      !/^\s*(?:$|[,.;]|and\b|in\b|on\b|at\b|near\b|when\b|while\b)/i.test(
        text.slice(m.index + m[0].length, m.index + m[0].length + 8),
      )
    )
      continue;
    const start = g.lead ? m.index + g.lead.length + 1 : m.index;
    out.push({
      measure: measureOf(verb.split(/\s+/)[0]!),
      category: cat.category,
      side: sideOf(cat, np, verb, lexicon, context),
      value: 1,
      qualifier: 'exact',
      start,
      end: m.index + m[0].length,
      cue: text.slice(start, m.index + m[0].length),
    });
  }
  return out;
}
