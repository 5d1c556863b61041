/** Turns raw input (plain text, Markdown or HTML, with an optional metadata header) into the text Truce stores. */
import { TruceError } from '../domain/errors.ts';
import { parsePublished } from './published.ts';

/** DocumentInputSchema caps a body at 5,000,000 characters; refuse bigger input before decoding it. */
export const MAX_DOCUMENT_BYTES = 5_000_000;

export type DocumentFormat = 'text' | 'markdown' | 'html';

export type DocumentMeta = { title?: string; url?: string; outlet?: string; publishedAt?: string };

export type ParsedDocument = DocumentMeta & {
  /** The text that is stored and that every span points into. */
  body: string;
  format: DocumentFormat;
};

const HEADER_KEYS: Record<string, keyof DocumentMeta> = {
  url: 'url',
  link: 'url',
  title: 'title',
  headline: 'title',
  published: 'publishedAt',
  date: 'publishedAt',
  outlet: 'outlet',
  source: 'outlet',
};

function invalid(message: string, field = 'body'): TruceError {
  return new TruceError('invalid_input', message, { field });
}

/** UTF-8 decoding that notices binary input instead of storing mojibake. */
export function decodeText(input: Uint8Array | string): string {
  if (typeof input !== 'string' && input.byteLength > MAX_DOCUMENT_BYTES)
    throw new TruceError('too_large', `document is larger than ${MAX_DOCUMENT_BYTES} bytes`, {
      field: 'file',
    });
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.length > MAX_DOCUMENT_BYTES)
    throw new TruceError('too_large', `document is longer than ${MAX_DOCUMENT_BYTES} characters`, {
      field: 'file',
    });
  let control = 0;
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw invalid('document is binary (it contains NUL bytes), not text');
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
    else if (c === 0xfffd) replaced++;
  }
  // A few stray bytes happen in scraped text; a binary file has them everywhere.
  if (control + replaced > Math.max(8, text.length * 0.02))
    throw invalid('document looks binary (too many control or undecodable bytes), not text');
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function detectFormat(text: string, name?: string): DocumentFormat {
  const ext = name?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'html' || ext === 'htm' || ext === 'xhtml') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  const head = text.slice(0, 2000).trimStart().toLowerCase();
  if (
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<(body|p|div|article)[\s>]/.test(head)
  )
    return 'html';
  return 'text';
}

/** `key: value` lines at the top (or a `---` front-matter block), up to the first blank line. */
function splitHeader(text: string): { meta: Record<string, string>; rest: string } {
  const meta: Record<string, string> = {};
  let rest = text;
  const fenced = rest.startsWith('---\n');
  if (fenced) rest = rest.slice(4).replace(/^\n+/, '');
  let consumed = 0;
  for (;;) {
    const eol = rest.indexOf('\n', consumed);
    const line = rest.slice(consumed, eol < 0 ? rest.length : eol);
    const m = /^([A-Za-z]+):[ \t]*(.*)$/.exec(line);
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !(key in HEADER_KEYS) || line.length > 2000) break;
    meta[key] = m[2]!.trim();
    consumed = eol < 0 ? rest.length : eol + 1;
    if (eol < 0) break;
  }
  if (Object.keys(meta).length === 0) return { meta, rest: text };
  rest = rest.slice(consumed);
  if (fenced && rest.startsWith('---')) rest = rest.slice(3);
  return { meta, rest: rest.replace(/^\s*\n/, '') };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  eacute: 'é',
  uuml: 'ü',
  ouml: 'ö',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      // NUL and out-of-range code points would be rejected by the store; drop them.
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function htmlMeta(html: string): DocumentMeta {
  const meta: DocumentMeta = {};
  const attr = (re: RegExp) => {
    const v = re.exec(html)?.[1];
    return v ? decodeEntities(v).trim() : undefined;
  };
  const title =
    attr(/<meta[^>]+property=["']og:title["'][^>]*content=["']([^"']+)["']/i) ??
    attr(/<title[^>]*>([^<]{1,500})<\/title>/i);
  const published = attr(
    /<meta[^>]+(?:property|name)=["'](?:article:published_time|date|pubdate)["'][^>]*content=["']([^"']+)["']/i,
  );
  const url = attr(/<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']/i);
  const outlet = attr(/<meta[^>]+property=["']og:site_name["'][^>]*content=["']([^"']+)["']/i);
  if (title) meta.title = title;
  if (published) meta.publishedAt = published;
  if (url) meta.url = url;
  if (outlet) meta.outlet = outlet;
  return meta;
}

/** Visible text of an HTML page: scripts, styles and markup gone, blocks on their own lines. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template|svg|head|iframe|object)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|hr)\b[^>]*>/gi, '\n')
    .replace(
      /<\/?(p|div|h[1-6]|li|ul|ol|tr|table|article|section|header|footer|blockquote|figure|figcaption|main|aside|nav|pre)\b[^>]*>/gi,
      '\n\n',
    )
    .replace(/<[^>]{0,2000}>/g, ' ');
  return tidy(decodeEntities(text));
}

export function markdownToText(markdown: string): string {
  const text = markdown
    .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, '')
    .replace(/\[([^\]\n]+)\]\([^)\n]*\)/g, '$1')
    .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
    .replace(/^ {0,3}>[ \t]?/gm, '')
    .replace(/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm, '')
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`\n]*)`/g, '$1');
  return tidy(text);
}

/** One space between words, one blank line between paragraphs, nothing at either end. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export type ParseOptions = { name?: string; format?: DocumentFormat; meta?: DocumentMeta };

/** Parses one document; flags in `options.meta` override what its header says. */
export function parseDocument(input: Uint8Array | string, options: ParseOptions = {}): ParsedDocument {
  const decoded = decodeText(input);
  const { meta: header, rest } = splitHeader(decoded);
  const format = options.format ?? detectFormat(rest, options.name);
  const fromHtml = format === 'html' ? htmlMeta(rest) : {};
  const body =
    format === 'html' ? htmlToText(rest) : format === 'markdown' ? markdownToText(rest) : tidy(rest);
  if (body === '') throw invalid('document is empty: no text to read');
  const meta: DocumentMeta = { ...fromHtml };
  for (const [key, value] of Object.entries(header)) {
    const field = HEADER_KEYS[key];
    if (field && value !== '') meta[field] = value;
  }
  Object.assign(meta, options.meta);
  const out: ParsedDocument = { body, format };
  if (meta.title) out.title = meta.title.slice(0, 500);
  if (meta.outlet) out.outlet = meta.outlet.slice(0, 200);
  if (meta.url) {
    if (!/^https?:\/\/\S+$/i.test(meta.url)) throw invalid(`url: "${meta.url}" is not an http(s) URL`, 'url');
    out.url = meta.url;
  }
  if (meta.publishedAt) out.publishedAt = parsePublished(meta.publishedAt);
  return out;
}
