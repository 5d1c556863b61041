/** An entry's inclusion in the signed ledger, checked here in the browser (ledger/check.ts), with what was checked. */
import { useEffect, useState } from 'react';
import { formatInstant, shortHash } from '../app/format.ts';
import { Link } from '../app/router.tsx';
import { checkInclusion, type InclusionCheck } from '../ledger/check.ts';

/** `subject`: the record whose last write is entry `seq` ("This incident"); without it the entry itself is the subject. */
type Props = { seq: number; subject?: string };

function Line({ ok, children }: { ok: boolean | null; children: React.ReactNode }) {
  const mark = ok === null ? '–' : ok ? '✓' : '✗';
  return (
    <li className={ok === null ? 'check-line is-na' : ok ? 'check-line is-ok' : 'check-line is-bad'}>
      <span className="check-mark" aria-hidden="true">
        {mark}
      </span>
      <span>{children}</span>
    </li>
  );
}

export function LedgerProof({ seq, subject }: Props) {
  const [check, setCheck] = useState<InclusionCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setCheck(null);
    setError(null);
    checkInclusion(seq).then(
      (result) => live && setCheck(result),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [seq]);

  if (error)
    return (
      <div className="proof proof-bad" role="alert">
        Could not check ledger entry #{seq}: {error}
      </div>
    );
  if (!check)
    return (
      <div className="proof" role="status">
        Checking ledger entry #{seq}…
      </div>
    );
  return (
    <div className={check.verified ? 'proof proof-ok' : 'proof proof-bad'} data-testid="ledger-proof">
      <p className="proof-verdict" role="status">
        <span className="proof-seal" aria-hidden="true">
          {check.verified ? '✓' : '✗'}
        </span>
        <strong>{check.verified ? 'verified' : 'NOT verified'}</strong>
        <span>
          {subject ? (
            <>
              {' '}
              — {subject} was last written by ledger entry{' '}
              <Link to={`/ledger?seq=${check.seq}`}>#{check.seq}</Link>, included in the signed tree of{' '}
              {check.head.treeSize} entries.
            </>
          ) : (
            <>
              {' '}
              — entry #{check.seq} is included in the signed tree of {check.head.treeSize} entries.
            </>
          )}
        </span>
      </p>
      <ul className="check-list">
        <Line ok={check.bodyMatches}>
          {check.bodyMatches === null
            ? 'Entry body not shared with you: proved by its hash alone'
            : 'Entry body re-hashed here matches its leaf hash'}{' '}
          <code title={check.leafHash}>{shortHash(check.leafHash)}</code>
        </Line>
        <Line ok={check.included}>
          Inclusion proof ({check.seq} of {check.head.treeSize}) leads to the signed root{' '}
          <code title={check.head.rootHash}>{shortHash(check.head.rootHash)}</code> — RFC 9162, SHA-256 in
          this browser
        </Line>
        <Line
          ok={check.signature === 'unsupported' ? null : check.signature === 'valid' && check.keyIdMatches}
        >
          {check.signature === 'unsupported'
            ? 'This browser cannot check Ed25519 signatures; check the head with `truce ledger verify`'
            : `Tree head signature (Ed25519, key ${check.head.keyId}) ${check.signature === 'valid' ? 'is valid' : 'is INVALID'}`}
          , signed {formatInstant(check.head.timestamp)}
        </Line>
        {check.pinned !== 'none' ? (
          <Line ok={check.pinned === 'match'}>
            {check.pinned === 'match'
              ? 'Signing key is the one you pinned in this browser'
              : 'Signing key DIFFERS from the one you pinned in this browser'}
          </Line>
        ) : null}
      </ul>
    </div>
  );
}
