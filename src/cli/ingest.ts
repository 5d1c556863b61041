/** `truce ingest FILE|DIR|-`: reads articles, statements and field reports into proposed incidents and claims. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TruceError } from '../domain/errors.ts';
import { TlpSchema } from '../domain/tlp.ts';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import { MAX_DOCUMENT_BYTES } from '../ingest/document.ts';
import { explain, presentIngest } from '../ingest/explain.ts';
import { createExtractor } from '../ingest/extract.ts';
import { type IngestDeps, type IngestResult, ingestDocument } from '../ingest/ingest.ts';
import { type InstanceFlags, printJson, withInstance, withInstanceOptions } from './common.ts';

type IngestFlags = InstanceFlags & {
  published?: string;
  outlet?: string;
  title?: string;
  url?: string;
  explain?: boolean;
  dryRun?: boolean;
  json?: boolean;
  tlp?: string;
  recipient: string[];
  by: string;
};

const READABLE = /\.(txt|text|md|markdown|html?|xhtml)$/i;

/** The files a path names: the file itself, or the readable files under a directory (sorted, recursive). */
function filesOf(path: string): string[] {
  if (path === '-') return ['-'];
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new TruceError('invalid_input', `${path}: no such file or directory`, { field: 'file' });
  }
  if (stat.isFile()) return [path];
  if (!stat.isDirectory())
    throw new TruceError('invalid_input', `${path}: not a file or directory`, { field: 'file' });
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => READABLE.test(name) && !name.split('/').some((part) => part.startsWith('.')))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

function readContent(file: string): Uint8Array {
  if (file === '-') return readFileSync(0);
  if (statSync(file).size > MAX_DOCUMENT_BYTES)
    throw new TruceError('too_large', `larger than ${MAX_DOCUMENT_BYTES} bytes`, { field: 'file' });
  return readFileSync(file);
}

export function ingestCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('ingest')
      .description(
        'read news articles, statements or field reports (text, Markdown, HTML) into incidents and claims',
      )
      .argument('<paths...>', 'files, directories, or - for standard input')
      .option('--published <date>', 'publication date (overrides the header)')
      .option('--outlet <name>', 'outlet that published it (overrides the header)')
      .option('--title <text>', 'title (overrides the header)')
      .option('--url <url>', 'where it was published')
      .option('--explain', 'print every proposed field with the sentence that supports it')
      .option('--dry-run', 'extract and match, write nothing')
      .option('--json', 'print the results as JSON')
      .option(
        '--tlp <level>',
        'sharing level of what is recorded (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)',
        'GREEN',
      )
      .option(
        '--recipient <id>',
        'a party (AMBER) or user (RED) who may see it, repeatable',
        (v: string, all: string[]) => [...all, v],
        [],
      )
      .option('--by <user>', 'who is entering it', 'operator'),
  ).action(async (paths: string[], flags: IngestFlags) => {
    const tlp = TlpSchema.safeParse(flags.tlp);
    if (!tlp.success)
      throw new TruceError('invalid_input', `--tlp: "${flags.tlp}" is not a TLP level`, { field: 'tlp' });
    const files = paths.flatMap(filesOf);
    const meta = {
      ...(flags.published ? { publishedAt: flags.published } : {}),
      ...(flags.outlet ? { outlet: flags.outlet } : {}),
      ...(flags.title ? { title: flags.title } : {}),
      ...(flags.url ? { url: flags.url } : {}),
    };
    await withInstance(flags, async (instance) => {
      const gazetteer = loadGazetteer();
      const deps: IngestDeps = {
        store: instance.store,
        gazetteer,
        extractor: createExtractor(gazetteer),
        by: flags.by,
      };
      const many = files.length > 1;
      const bar =
        many && !flags.explain
          ? new cliProgress.SingleBar(
              { stream: process.stderr, format: 'ingest [{bar}] {value}/{total} {file}' },
              cliProgress.Presets.shades_classic,
            )
          : null;
      bar?.start(files.length, 0, { file: '' });
      // Without a terminal (cron, CI, logs) progress is one line per document instead of a bar.
      const lines = many && !flags.explain && !process.stderr.isTTY;
      let done = 0;
      const progress = (file: string) => {
        done += 1;
        bar?.increment(1, { file });
        if (lines) process.stderr.write(`ingested ${done}/${files.length} ${file}\n`);
      };
      const summary = {
        documents: files.length,
        stored: 0,
        duplicates: 0,
        incidentsCreated: 0,
        claimsAdded: 0,
        matched: 0,
        unplaced: 0,
        noIncidents: 0,
      };
      const skipped: { file: string; error: string }[] = [];
      const results: unknown[] = [];
      for (const file of files) {
        let result: IngestResult;
        try {
          result = await ingestDocument(
            {
              content: readContent(file),
              ...(file === '-' ? {} : { name: file }),
              meta,
              tlp: tlp.data,
              recipients: flags.recipient,
              dryRun: flags.dryRun ?? false,
            },
            deps,
          );
        } catch (error) {
          // CONVENTIONS 7: a batch never stops half-way; each failure is listed with its file.
          if (!many) throw error;
          skipped.push({ file, error: error instanceof Error ? error.message : String(error) });
          progress(file);
          continue;
        }
        progress(file);
        if (result.duplicate) summary.duplicates++;
        else if (result.document.id) summary.stored++;
        if (result.extraction.incidents.length === 0) summary.noIncidents++;
        for (const o of result.outcomes) {
          if (o.action === 'created') summary.incidentsCreated++;
          if (o.action === 'matched') summary.matched++;
          if (o.action === 'unplaced') summary.unplaced++;
          summary.claimsAdded += o.claimIds.length;
        }
        if (flags.json) results.push({ file, ...presentIngest(result) });
        else if (flags.explain || !many)
          console.log(`${file === '-' ? '(stdin)' : file}\n${explain(result)}\n`);
      }
      bar?.stop();
      if (flags.json) return printJson({ summary, results, skipped });
      if (many) {
        console.log(
          `${summary.documents} documents: ${summary.stored} stored, ${summary.duplicates} already stored, ${skipped.length} failed; ` +
            `${summary.incidentsCreated} incidents created, ${summary.matched} matched to recorded ones, ${summary.claimsAdded} claims added` +
            `${summary.unplaced ? `, ${summary.unplaced} unplaced proposals not recorded` : ''}; ${summary.noIncidents} with no incidents found.`,
        );
        for (const s of skipped) console.log(`  failed ${s.file}: ${s.error}`);
      }
    });
  });
}
