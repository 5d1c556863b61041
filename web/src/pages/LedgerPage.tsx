/** The ledger: the current signed tree head, the public key, and any entry's inclusion — all checked in this browser. */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { LedgerEntry } from '../api/types.ts';
import { formatInstant, shortHash } from '../app/format.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { LedgerProof } from '../components/LedgerProof.tsx';
import { ErrorNote, Loading } from '../components/States.tsx';
import {
  type ConsistencyCheck,
  checkAgainstLastSeen,
  checkHead,
  type HeadCheck,
  pinKey,
} from '../ledger/check.ts';

function EntryBody({ seq }: { seq: number }) {
  const [entry, setEntry] = useState<LedgerEntry | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setEntry(null);
    api<LedgerEntry>(`/ledger/entries/${seq}`).then(setEntry, setError);
  }, [seq]);
  if (error) return <ErrorNote error={error} what={`Ledger entry ${seq}`} />;
  if (!entry) return <Loading />;
  if (!entry.visible)
    return (
      <p className="hint">
        This entry wrote records not shared with you: you see its leaf hash only, which is enough to prove it
        is in the log.
      </p>
    );
  let pretty = entry.body;
  let summary = '';
  try {
    const parsed = JSON.parse(entry.body) as { kind: string; at: string; by: string };
    pretty = JSON.stringify(parsed, null, 2);
    summary = `${parsed.kind} · ${formatInstant(parsed.at)} · by ${parsed.by}`;
  } catch {
    // Shown as stored.
  }
  return (
    <>
      <p className="entry-summary">{summary}</p>
      <pre className="entry-body" dir="ltr">
        {pretty}
      </pre>
    </>
  );
}

export function LedgerPage() {
  const { search } = useLocation();
  const seqParam = search.get('seq');
  const seq = seqParam !== null && /^\d+$/.test(seqParam) ? Number(seqParam) : null;
  const [head, setHead] = useState<HeadCheck | null>(null);
  const [consistency, setConsistency] = useState<ConsistencyCheck | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [input, setInput] = useState(seqParam ?? '');
  const [pinned, setPinned] = useState(0);

  useEffect(() => {
    void pinned;
    checkHead().then(async (result) => {
      setHead(result);
      setConsistency(await checkAgainstLastSeen(result.head));
    }, setError);
  }, [pinned]);

  const lookup = (event: FormEvent) => {
    event.preventDefault();
    if (/^\d+$/.test(input.trim())) navigate(`/ledger?seq=${input.trim()}`);
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>Ledger</h1>
        <p className="lede">
          Every write is an entry on an append-only Merkle log (RFC 9162). Keep the signed tree heads you are
          shown: later you can prove that nothing you saw was changed or removed, without trusting the
          mechanism.
        </p>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {!head && !error ? <Loading label="Checking the signed tree head…" /> : null}
      {head ? (
        <section className="block" aria-labelledby="head-title">
          <h2 id="head-title" className="section-title">
            Current signed tree head
          </h2>
          <dl className="head-facts" data-testid="tree-head">
            <dt>Entries</dt>
            <dd className="num-big">{head.head.treeSize}</dd>
            <dt>Root hash</dt>
            <dd>
              <code className="hash">{head.head.rootHash}</code>
            </dd>
            <dt>Signed</dt>
            <dd>{formatInstant(head.head.timestamp)}</dd>
            <dt>Key id</dt>
            <dd>
              <code>{head.head.keyId}</code>{' '}
              {head.keyIdMatches ? '(matches the public key below)' : '(does NOT match the key)'}
            </dd>
            <dt>Signature</dt>
            <dd>
              <code className="hash">{head.head.signature}</code>
              <p
                className={head.signature === 'valid' ? 'check-ok' : 'check-bad'}
                data-testid="signature-check"
              >
                {head.signature === 'valid'
                  ? '✓ Ed25519 signature verified in this browser'
                  : head.signature === 'unsupported'
                    ? '– this browser cannot check Ed25519; use `truce ledger verify`'
                    : '✗ signature does NOT verify'}
              </p>
            </dd>
            <dt>Since your last visit</dt>
            <dd>
              {consistency === undefined
                ? 'checking…'
                : consistency === null
                  ? 'First visit from this browser: this head is now kept here, and the next visit proves the log only grew.'
                  : consistency.consistent
                    ? `✓ Consistent with the head you were shown before (${consistency.from.treeSize} entries, ${formatInstant(consistency.from.timestamp)}): the log only grew.`
                    : `✗ NOT consistent with the head you were shown before (${consistency.from.treeSize} entries, root ${shortHash(consistency.from.rootHash)}).`}
            </dd>
          </dl>
          <h3 className="side-title">Public key</h3>
          <pre className="pem">{head.publicKeyPem}</pre>
          <p>
            {head.pinned === 'match' ? (
              <span className="check-ok">✓ This is the key you pinned in this browser.</span>
            ) : head.pinned === 'mismatch' ? (
              <span className="check-bad">✗ This key differs from the one you pinned in this browser.</span>
            ) : (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  pinKey(head.publicKeyPem);
                  setPinned((n) => n + 1);
                }}
              >
                Pin this key in this browser
              </button>
            )}{' '}
            <a
              className="button button-quiet button-small"
              href="/ledger/public-key"
              download="truce-ledger-key.pem"
            >
              Download PEM
            </a>
          </p>
        </section>
      ) : null}

      <section className="block" aria-labelledby="entry-title">
        <h2 id="entry-title" className="section-title">
          Check an entry
        </h2>
        <form className="inline-form" onSubmit={lookup}>
          <label>
            <span>Entry number</span>
            <input
              inputMode="numeric"
              pattern="[0-9]*"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              aria-describedby="entry-help"
            />
          </label>
          <button type="submit" className="button">
            Prove inclusion
          </button>
          <span id="entry-help" className="hint">
            Entries are numbered from 0; every record shows the entry that last wrote it.
          </span>
        </form>
        {seq !== null ? (
          <div className="entry">
            <LedgerProof key={seq} seq={seq} />
            <EntryBody seq={seq} />
          </div>
        ) : null}
      </section>
    </div>
  );
}
