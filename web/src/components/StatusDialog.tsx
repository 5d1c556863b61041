/** Moving an incident to a new status: a reason always, evidence for `verified` (POST /incidents/:id/status). */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Incident, StatusChange } from '../api/types.ts';
import { humanize } from '../app/format.ts';
import { EVIDENCE_KINDS, STATUS_LABEL, type Status } from '../domain/vocabulary.ts';
import { Dialog } from './Dialog.tsx';
import { FormError } from './Form.tsx';

export const ACTION_VERB: Record<string, string> = {
  verified: 'Verify',
  disputed: 'Dispute',
  refuted: 'Refute',
  corroborated: 'Corroborate',
  reported: 'Reopen as reported',
};

/** What a move does, said from where the incident stands: verified → corroborated withdraws a verification. */
export function actionLabel(from: string, to: string): string {
  if (from === 'verified' && to === 'corroborated') return 'Withdraw verification';
  if (from === 'refuted' && to === 'reported') return 'Reopen';
  return ACTION_VERB[to] ?? humanize(to);
}

type Evidence = { kind: string; ref: string; note: string };

type Props = {
  incident: { id: string; title: string; status: string };
  to: Status | null;
  onClose(): void;
  onDone(result: { incident: Incident; change: StatusChange }): void;
};

export function StatusDialog({ incident, to, onClose, onDone }: Props) {
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState<Evidence[]>([{ kind: 'imagery', ref: '', note: '' }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const needsEvidence = to === 'verified';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!to) return;
    const given = evidence
      .filter((e) => e.ref.trim())
      .map((e) => ({ kind: e.kind, ref: e.ref.trim(), ...(e.note.trim() ? { note: e.note.trim() } : {}) }));
    if (!reason.trim()) return setError('Give the reason for this decision.');
    if (needsEvidence && given.length === 0)
      return setError('Verifying needs at least one piece of evidence.');
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ incident: Incident; change: StatusChange }>(
        `/incidents/${encodeURIComponent(incident.id)}/status`,
        { method: 'POST', body: { to, reason: reason.trim(), evidence: given } },
      );
      setReason('');
      setEvidence([{ kind: 'imagery', ref: '', note: '' }]);
      onDone(result);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const setRow = (i: number, patch: Partial<Evidence>) =>
    setEvidence((rows) => rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));

  return (
    <Dialog
      title={
        to
          ? `${actionLabel(incident.status, to)}: ${STATUS_LABEL[incident.status as Status] ?? incident.status} → ${STATUS_LABEL[to]}`
          : ''
      }
      open={to !== null}
      onClose={onClose}
      describedBy={`${id}-what`}
    >
      <form className="form" onSubmit={submit} aria-label="Status change">
        <p id={`${id}-what`} className="dialog-lede">
          <span dir="auto">{incident.title}</span>
          <br />
          {STATUS_LABEL[incident.status as Status] ?? incident.status} →{' '}
          <strong>{to ? STATUS_LABEL[to] : ''}</strong>. The change, its reason and evidence go on the ledger,
          in your name.
        </p>
        <label className="field">
          <span>Reason (required)</span>
          <textarea
            name="reason"
            required
            rows={3}
            dir="auto"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-autofocus
          />
        </label>
        <fieldset className="field">
          <legend>Evidence{needsEvidence ? ' (at least one)' : ' (optional)'}</legend>
          {evidence.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <div className="evidence-row" key={i}>
              <select
                aria-label={`Evidence ${i + 1} kind`}
                value={row.kind}
                onChange={(e) => setRow(i, { kind: e.target.value })}
              >
                {EVIDENCE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {humanize(kind)}
                  </option>
                ))}
              </select>
              <input
                aria-label={`Evidence ${i + 1} reference`}
                name="evidence-ref"
                placeholder="Reference: file hash, document id, URL…"
                value={row.ref}
                onChange={(e) => setRow(i, { ref: e.target.value })}
              />
              <input
                aria-label={`Evidence ${i + 1} note`}
                placeholder="Note"
                dir="auto"
                value={row.note}
                onChange={(e) => setRow(i, { note: e.target.value })}
              />
            </div>
          ))}
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => setEvidence((rows) => [...rows, { kind: 'document', ref: '', note: '' }])}
          >
            Add evidence
          </button>
        </fieldset>
        <FormError error={error} />
        <div className="form-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Recording…' : `${to ? actionLabel(incident.status, to) : ''} — record on the ledger`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
