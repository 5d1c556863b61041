/** Splits stored text into sentences with exact character offsets, which every extracted field cites as evidence. */

export type Sentence = {
  index: number;
  /** Paragraph number: dates and claimants carry forward within a paragraph more readily than across. */
  paragraph: number;
  start: number;
  end: number;
  text: string;
};

// Words whose final period does not end a sentence.
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr gen lt col maj capt cpt sgt brig gov sen rep st no nos jan feb mar apr jun jul aug sep sept ' +
    'oct nov dec vs e.g i.e p.m a.m u.s u.n u.k inc ltd co jr sr prof gen. cmdr adm rev est approx fig'
  ).split(' '),
);

/** Runaway "sentences" (no punctuation for pages) are cut so that per-sentence work stays bounded. */
const MAX_SENTENCE = 1200;

function isParagraphBreak(body: string, nl: number): boolean {
  if (body[nl + 1] === '\n') return true;
  // A single newline ends a paragraph unless the line was hard-wrapped mid-sentence.
  let lineStart = body.lastIndexOf('\n', nl - 1) + 1;
  while (lineStart < nl && body[lineStart] === ' ') lineStart++;
  const line = body.slice(lineStart, nl).trimEnd();
  if (line.length < 50) return true;
  return /[.!?:"”’)\]]$/.test(line);
}

function endsWithAbbreviation(text: string, dot: number): boolean {
  let i = dot - 1;
  while (i >= 0 && /[A-Za-z.]/.test(text[i]!)) i--;
  const word = text.slice(i + 1, dot).toLowerCase();
  if (word.length === 1) return true; // an initial: "D.I. Khan", "U.S."
  return ABBREVIATIONS.has(word);
}

export function splitSentences(body: string): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = 0;
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(body[s]!)) s++;
    while (e > s && /\s/.test(body[e - 1]!)) e--;
    while (e - s > MAX_SENTENCE) {
      let cut = body.lastIndexOf(' ', s + MAX_SENTENCE);
      if (cut <= s) cut = s + MAX_SENTENCE;
      out.push({ index: out.length, paragraph, start: s, end: cut, text: body.slice(s, cut) });
      s = cut;
      while (s < e && /\s/.test(body[s]!)) s++;
    }
    if (e > s) out.push({ index: out.length, paragraph, start: s, end: e, text: body.slice(s, e) });
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\n') {
      if (isParagraphBreak(body, i)) {
        push(i);
        start = i + 1;
        if (out.length > 0 && out[out.length - 1]!.paragraph === paragraph) paragraph++;
      }
      continue;
    }
    if (c !== '.' && c !== '!' && c !== '?') continue;
    let j = i + 1;
    while (j < body.length && /["”’')\]]/.test(body[j]!)) j++;
    if (j < body.length && body[j] !== ' ' && body[j] !== '\n') continue;
    let k = j;
    while (k < body.length && body[k] === ' ') k++;
    const next = body[k];
    if (next === undefined || next === '\n') {
      push(j);
      start = j;
      continue;
    }
    if (!/[A-Z0-9"“‘'(\p{Lu}]/u.test(next)) continue;
    if (c === '.' && endsWithAbbreviation(body, i)) continue;
    push(j);
    start = j;
  }
  push(body.length);
  return out;
}
