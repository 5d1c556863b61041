/** A stored document as plain text, with the quoted sentence highlighted at its span (never parsed as HTML). */
import { useEffect, useRef, useState } from 'react';
import type { Claim, DocumentRecord } from '../../api/types.ts';
import { formatInstant } from '../../app/format.ts';
import { useApi } from '../../app/useApi.ts';
import { TlpBadge } from '../../components/Badges.tsx';
import { ErrorNote, Loading } from '../../components/States.tsx';

/** Past this length only a window around the quote is drawn until asked for the whole text. */
const WINDOW = 2500;

export function DocumentView({
  claim,
  sourceName,
  onClose,
}: {
  claim: Claim;
  sourceName: string;
  onClose(): void;
}) {
  const { data, error } = useApi<DocumentRecord>(`/documents/${encodeURIComponent(claim.documentId!)}`);
  const [whole, setWhole] = useState(false);
  const mark = useRef<HTMLElement>(null);
  useEffect(() => {
    if (data) mark.current?.scrollIntoView({ block: 'nearest' });
  }, [data]);
  if (error) return <ErrorNote error={error} what="The document" />;
  if (!data) return <Loading label="Loading the document…" />;
  const body = data.body;
  const span = claim.span && claim.span.end <= body.length ? claim.span : null;
  const matches = span ? body.slice(span.start, span.end) === claim.quote : false;
  const cut = !whole && body.length > WINDOW * 3 && span;
  const start = cut ? Math.max(0, span.start - WINDOW) : 0;
  const end = cut ? Math.min(body.length, span.end + WINDOW) : body.length;
  return (
    <section className="document" aria-label="Document" data-testid="document">
      <header className="document-head">
        <div>
          <h3 dir="auto">{data.title ?? 'Untitled document'}</h3>
          <p className="document-meta">
            {[data.outlet, data.publishedAt ? formatInstant(data.publishedAt) : null]
              .filter(Boolean)
              .join(' · ')}
            {data.url ? (
              <>
                {' · '}
                <span className="url" dir="ltr">
                  {data.url}
                </span>
              </>
            ) : null}{' '}
            <TlpBadge tlp={data.tlp} />
          </p>
          <p className={matches ? 'span-check is-ok' : 'span-check is-bad'}>
            {span
              ? matches
                ? `✓ ${sourceName}'s quote is the stored text at characters ${span.start}–${span.end}`
                : `✗ the stored text at characters ${span.start}–${span.end} differs from the quote`
              : 'No span recorded for this quote'}
          </p>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close document">
          ×
        </button>
      </header>
      <div className="document-body" dir="auto">
        {start > 0 ? <span className="elided">[… {start} characters …] </span> : null}
        {span ? (
          <>
            {body.slice(start, span.start)}
            <mark ref={mark} className="quote-mark">
              {body.slice(span.start, span.end)}
            </mark>
            {body.slice(span.end, end)}
          </>
        ) : (
          body.slice(start, end)
        )}
        {end < body.length ? <span className="elided"> [… {body.length - end} characters …]</span> : null}
      </div>
      {cut ? (
        <button type="button" className="button button-quiet button-small" onClick={() => setWhole(true)}>
          Show the whole document
        </button>
      ) : null}
    </section>
  );
}
