/** Ingest bench: articles per second per core for pure extraction on a 1,000-article synthetic mix. */
import { loadGazetteer } from '../src/gazetteer/gazetteer.ts';
import { parseDocument } from '../src/ingest/document.ts';
import { createExtractor, extract } from '../src/ingest/extract.ts';
import { PK_AF_LEXICON } from '../src/ingest/lexicons/pk-af.ts';

const PLACES = [
  'Barmal',
  'Kurram',
  'Spin Boldak',
  'Torkham',
  'Bajaur',
  'Khost',
  'Dangam',
  'Parachinar',
  'Chaman',
  'Angoor Adda',
];
const LEADS = [
  (p: string, n: number) =>
    `Pakistani airstrikes hit ${p} on Friday, killing at least ${n} civilians, according to Taliban-controlled Hurriyat Radio.`,
  (p: string, n: number) =>
    `The ISPR said ${n} soldiers were martyred in clashes with Afghan forces in ${p} on October 12, and over 200 Taliban fighters were killed.`,
  (p: string, n: number) =>
    `Zabihullah Mujahid told Reuters that ${n} Pakistani soldiers were killed when Afghan forces attacked border posts near ${p} last week.`,
  (p: string, n: number) =>
    `A suicide bomber struck a checkpoint in ${p} on Saturday, killing ${n} soldiers and wounding dozens, the military said.`,
  (p: string) =>
    `Pakistan closed the ${p} crossing on Sunday after the clashes, leaving thousands of trucks stranded.`,
];
const FILLER =
  'Analysts say the rift between Islamabad and Kabul has deepened over the past year. Trade has suffered and families on both sides of the border have been separated. ' +
  'Officials on both sides accuse each other of bad faith, and diplomats from Qatar and Turkey have tried to keep the two sides talking. ';

/** A deterministic mix of ~3–6 KB articles: leads with incidents, quotes, and commentary padding. */
export function syntheticArticles(count = 1000): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const place = PLACES[i % PLACES.length]!;
    const lead = LEADS[i % LEADS.length]!(place, 3 + (i % 40));
    const padding = FILLER.repeat(3 + (i % 7));
    const format = i % 10 === 0 ? 'html' : 'text';
    const body = `${lead}\n\n${padding}\n\n${LEADS[(i + 2) % LEADS.length]!(PLACES[(i + 3) % PLACES.length]!, 5)}\n\n${padding}`;
    out.push(
      format === 'html'
        ? `<html><body><script>var x=1;</script><p>${body.replace(/\n\n/g, '</p><p>')}</p></body></html>`
        : `published: 2025-10-18\noutlet: Dawn\n\n${body}`,
    );
  }
  return out;
}

export async function benchIngest(): Promise<Record<string, number>> {
  const extractor = createExtractor(loadGazetteer());
  const articles = syntheticArticles(1000);
  const once = () => {
    let incidents = 0;
    for (const [i, raw] of articles.entries()) {
      const doc = parseDocument(raw, { name: i % 10 === 0 ? 'a.html' : 'a.txt' });
      incidents += extract(
        doc.body,
        { publishedOn: '2025-10-18', today: '2025-12-31', outlet: PK_AF_LEXICON.unattributed },
        extractor,
      ).incidents.length;
    }
    return incidents;
  };
  once(); // warm-up: regex compilation and JIT
  const start = performance.now();
  const incidents = once();
  const seconds = (performance.now() - start) / 1000;
  const bytes = articles.reduce((n, a) => n + a.length, 0);
  return {
    ingest_articles_per_s_per_core: Math.round(articles.length / seconds),
    ingest_ms_per_article: Math.round((seconds * 1e6) / articles.length) / 1000,
    ingest_mb_per_s: Math.round((bytes / 1e6 / seconds) * 10) / 10,
    ingest_incidents_found: incidents,
  };
}
