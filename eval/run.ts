/**
 * `npm run eval`: extraction quality (P/R/F1 per field) on the gold-annotated documents, per set:
 *   - tuning  (test/fixtures/ingest/gold.json): the fixtures the rules were written against;
 *   - heldout (…/heldout/gold.json): 8 documents written and annotated before the extractor read
 *     them. Its first score was blind; the rules were then improved on its errors, so it is now dev data;
 *   - fresh   (…/fresh/gold.json): 6 documents written and annotated after that, never tuned on —
 *     the honest estimate of how the rules do on unseen text;
 * then tuning + heldout combined (the target set) and all three.
 * `--verbose` lists what was found per document; `--set NAME` runs one set.
 */
import { readFileSync } from 'node:fs';
import { loadGazetteer } from '../src/gazetteer/gazetteer.ts';
import { parseDocument } from '../src/ingest/document.ts';
import { createExtractor, extract } from '../src/ingest/extract.ts';
import { sourceForOutlet } from '../src/ingest/ingest.ts';
import { addTally, emptyTally, FIELDS, type GoldDocument, prf, scoreDocument, type Tally } from './score.ts';

const SETS = [
  { name: 'tuning', dir: new URL('../test/fixtures/ingest/', import.meta.url) },
  { name: 'heldout', dir: new URL('../test/fixtures/ingest/heldout/', import.meta.url) },
  { name: 'fresh', dir: new URL('../test/fixtures/ingest/fresh/', import.meta.url) },
] as const;

const gazetteer = loadGazetteer();
const extractor = createExtractor(gazetteer);
const verbose = process.argv.includes('--verbose');
const only = process.argv.includes('--set') ? process.argv[process.argv.indexOf('--set') + 1] : undefined;

function runSet(dir: URL): { tally: Tally; documents: number } {
  const gold = JSON.parse(readFileSync(new URL('gold.json', dir), 'utf8')) as { documents: GoldDocument[] };
  const tally = emptyTally();
  for (const doc of gold.documents) {
    const parsed = parseDocument(readFileSync(new URL(doc.file, dir)), {
      name: doc.file,
      meta: {
        ...(doc.published ? { publishedAt: doc.published } : {}),
        ...(doc.outlet ? { outlet: doc.outlet } : {}),
      },
    });
    const found = extract(
      parsed.body,
      {
        publishedOn: parsed.publishedAt?.slice(0, 10),
        today: '2025-12-31',
        outlet: sourceForOutlet(parsed.outlet, extractor),
      },
      extractor,
    );
    scoreDocument(doc, found, tally);
    if (verbose) {
      console.log(`# ${doc.file}`);
      for (const i of found.incidents)
        console.log(
          `  ${i.type.value} ${i.date.value.day}/${i.date.value.precision} ${i.place?.value.placeId ?? '-'} actor=${i.actor?.value ?? '-'} ` +
            i.claims
              .flatMap((c) => [
                ...(c.asserted.happened === false ? [`[denied ${c.source.id}]`] : []),
                ...c.figures.map(
                  (f) => `[${f.measure} ${f.category} ${f.side} ${f.value} ${f.qualifier} ${c.source.id}]`,
                ),
              ])
              .join(' '),
        );
      for (const a of found.accords)
        console.log(`  ${a.kind} ${a.date.value.day}/${a.date.value.precision} ${a.venue?.value ?? '-'}`);
    }
  }
  return { tally, documents: gold.documents.length };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
function print(title: string, tally: Tally): void {
  console.log(`\n${title}`);
  console.log(`${'field'.padEnd(22)}${'P'.padStart(7)}${'R'.padStart(7)}${'F1'.padStart(7)}   tp/fp/fn`);
  for (const field of FIELDS) {
    const c = tally[field];
    const { precision, recall, f1 } = prf(c);
    console.log(`${field.padEnd(22)}${pct(precision)}${pct(recall)}${pct(f1)}   ${c.tp}/${c.fp}/${c.fn}`);
  }
}

const combined = emptyTally();
const all = emptyTally();
let combinedDocs = 0;
let allDocs = 0;
for (const set of SETS) {
  if (only && only !== set.name) continue;
  const { tally, documents } = runSet(set.dir);
  if (set.name !== 'fresh') {
    addTally(combined, tally);
    combinedDocs += documents;
  }
  addTally(all, tally);
  allDocs += documents;
  print(`Ingest extraction, ${set.name} set: ${documents} gold documents`, tally);
}
if (!only) {
  print(`Combined tuning + heldout: ${combinedDocs} gold documents`, combined);
  print(`All sets: ${allDocs} gold documents`, all);
}

// Early warning: rolling-origin backtest of the Hawkes model against Poisson baselines.
if (!only && !process.argv.includes('--ingest-only')) {
  const { evalForecast } = await import('./forecast.ts');
  await evalForecast();
}
