/** `npm run eval`: extraction quality on the gold-annotated documents in test/fixtures/ingest (P/R/F1 per field). */
import { readFileSync } from 'node:fs';
import { loadGazetteer } from '../src/gazetteer/gazetteer.ts';
import { parseDocument } from '../src/ingest/document.ts';
import { createExtractor, extract } from '../src/ingest/extract.ts';
import { sourceForOutlet } from '../src/ingest/ingest.ts';
import { emptyTally, FIELDS, type GoldDocument, prf, scoreDocument } from './score.ts';

const FIXTURES = new URL('../test/fixtures/ingest/', import.meta.url);
const gold = JSON.parse(readFileSync(new URL('gold.json', FIXTURES), 'utf8')) as {
  documents: GoldDocument[];
};
const gazetteer = loadGazetteer();
const extractor = createExtractor(gazetteer);
const tally = emptyTally();
const verbose = process.argv.includes('--verbose');

for (const doc of gold.documents) {
  const url = new URL(doc.file, FIXTURES);
  const parsed = parseDocument(readFileSync(url), {
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
            .flatMap((c) =>
              c.figures.map(
                (f) => `[${f.measure} ${f.category} ${f.side} ${f.value} ${f.qualifier} ${c.source.id}]`,
              ),
            )
            .join(' '),
      );
    for (const a of found.accords)
      console.log(`  ${a.kind} ${a.date.value.day}/${a.date.value.precision} ${a.venue?.value ?? '-'}`);
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
console.log(
  `Ingest extraction on ${gold.documents.length} gold documents (2 corpus articles, the demo desk note, ${gold.documents.length - 3} fixtures)`,
);
console.log(`${'field'.padEnd(22)}${'P'.padStart(7)}${'R'.padStart(7)}${'F1'.padStart(7)}   tp/fp/fn`);
for (const field of FIELDS) {
  const c = tally[field];
  const { precision, recall, f1 } = prf(c);
  console.log(`${field.padEnd(22)}${pct(precision)}${pct(recall)}${pct(f1)}   ${c.tp}/${c.fp}/${c.fn}`);
}
