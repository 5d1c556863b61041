/** Agreements, candidate violations with the monitors' attributions, and the register a penalty decision rests on. */
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Agreement, Candidate, Violations } from '../api/types.ts';
import { formatDay, formatInstant, humanize } from '../app/format.ts';
import { useReference } from '../app/reference.tsx';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useApi } from '../app/useApi.ts';
import { StatusBadge, TlpBadge, TypeLabel } from '../components/Badges.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { FormError } from '../components/Form.tsx';
import { Empty, ErrorNote, Loading } from '../components/States.tsx';

const DECISIONS = [
  { value: 'attributed', label: 'Attributed', help: 'a violation by the party' },
  { value: 'unattributable', label: 'Unattributable', help: 'happened, but cannot be pinned on a party' },
  { value: 'not_a_violation', label: 'Not a violation', help: 'outside the terms, or not by a party to it' },
];

function AttributeDialog({
  candidate,
  agreement,
  onClose,
  onDone,
}: {
  candidate: Candidate | null;
  agreement: Agreement | undefined;
  onClose(): void;
  onDone(message: string): void;
}) {
  const [decision, setDecision] = useState('attributed');
  const [party, setParty] = useState('');
  const [reasoning, setReasoning] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!candidate) return;
    if (!reasoning.trim()) return setError('Write the reasoning: it is what the decision will be judged on.');
    try {
      const row = await api<{ ledgerSeq: number }>('/violations', {
        method: 'POST',
        body: {
          incidentId: candidate.incident.id,
          agreementId: candidate.agreementId,
          decision,
          partyId: party || candidate.partyId,
          reasoning: reasoning.trim(),
        },
      });
      setReasoning('');
      onDone(
        `Recorded “${humanize(decision)}” for “${candidate.incident.title}”, ledger entry #${row.ledgerSeq}.`,
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Dialog title="Attribute a candidate violation" open={candidate !== null} onClose={onClose}>
      {candidate ? (
        <form className="form" onSubmit={submit}>
          <p className="dialog-lede">
            <span dir="auto">{candidate.incident.title}</span> ({formatDay(candidate.incident.occurredOn)})
            under <strong>{candidate.agreementName}</strong>
            {candidate.inForce === 'boundary'
              ? ' — the agreement began or ended that day: say why it counts or not.'
              : '.'}
          </p>
          <fieldset className="field">
            <legend>Decision</legend>
            {DECISIONS.map((d) => (
              <label key={d.value} className="radio">
                <input
                  type="radio"
                  name="decision"
                  value={d.value}
                  checked={decision === d.value}
                  onChange={() => setDecision(d.value)}
                />
                <strong>{d.label}</strong> <span className="hint">— {d.help}</span>
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>Party</span>
            <select value={party || candidate.partyId} onChange={(e) => setParty(e.target.value)}>
              {(agreement?.parties ?? [candidate.partyId]).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Reasoning (required)</span>
            <textarea
              name="reasoning"
              rows={4}
              dir="auto"
              required
              value={reasoning}
              onChange={(e) => setReasoning(e.target.value)}
              data-autofocus
            />
          </label>
          <FormError error={error} />
          <div className="form-actions">
            <button type="button" className="button button-quiet" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary">
              Record on the ledger
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}

export function ViolationsPage() {
  const violations = useApi<Violations>('/violations');
  const agreements = useApi<Agreement[]>('/agreements');
  const { canWrite, me } = useSession();
  const { partyName } = useReference();
  const who = (userId: string) => (userId === me?.userId ? `you (${me.username})` : userId);
  const [target, setTarget] = useState<Candidate | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const register = violations.data?.register ?? [];
  const parties = useMemo(() => [...new Set(register.map((r) => r.partyId))].sort(), [register]);
  const weeks = useMemo(() => [...new Set(register.map((r) => r.week))].sort().reverse(), [register]);

  return (
    <div className="page">
      <header className="page-head">
        <h1>Agreements and violations</h1>
        <p className="lede">
          An incident during an agreement in force, by an actor of a party to it, is a candidate violation; a
          monitor attributes it with reasoning. Attributed violations per party per week are what a penalty
          decision rests on.
        </p>
      </header>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}

      <section className="block" aria-labelledby="agreements-title">
        <h2 id="agreements-title" className="section-title">
          Agreements
        </h2>
        {agreements.error ? <ErrorNote error={agreements.error} /> : null}
        {agreements.data && agreements.data.length === 0 ? (
          <Empty>No agreements shared with you.</Empty>
        ) : null}
        <ul className="agreements">
          {(agreements.data ?? []).map((a) => (
            <li key={a.id} className="agreement">
              <div className="agreement-head">
                <strong dir="auto">{a.name}</strong>
                <span className="hint">{a.parties.join(' · ')}</span>
                {a.tlp !== 'CLEAR' ? <TlpBadge tlp={a.tlp} /> : null}
              </div>
              <p className="agreement-window">
                {formatInstant(a.startsAt)} → {a.endsAt ? formatInstant(a.endsAt) : 'open-ended'}
              </p>
              <p className="note" dir="auto">
                {a.terms}
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section className="block" aria-labelledby="register-title">
        <div className="block-head">
          <h2 id="register-title" className="section-title">
            Register — attributed violations per party per ISO week
          </h2>
          <a
            className="button button-quiet button-small"
            href="/violations?format=csv"
            download="violations.csv"
          >
            CSV
          </a>
        </div>
        {violations.data && register.length === 0 ? (
          <Empty>No violation has been attributed yet.</Empty>
        ) : null}
        {register.length ? (
          <table className="table register">
            <thead>
              <tr>
                <th scope="col">Week</th>
                {parties.map((p) => (
                  <th scope="col" key={p} className="num">
                    {partyName(p)} ({p})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr key={week}>
                  <th scope="row">{week}</th>
                  {parties.map((p) => {
                    const row = register.find((r) => r.week === week && r.partyId === p);
                    return (
                      <td key={p} className="num">
                        {row ? (
                          <span title={row.incidentIds.join(', ')}>
                            <strong>{row.count}</strong>{' '}
                            {row.incidentIds.map((id) => (
                              <Link
                                key={id}
                                to={`/incidents/${encodeURIComponent(id)}`}
                                className="mini-link"
                              >
                                {id.slice(-4)}
                              </Link>
                            ))}
                          </span>
                        ) : (
                          <span className="hint">0</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section className="block" aria-labelledby="candidates-title">
        <h2 id="candidates-title" className="section-title">
          Candidate violations
        </h2>
        {violations.error ? <ErrorNote error={violations.error} /> : null}
        {violations.loading && !violations.data ? <Loading /> : null}
        {violations.data && violations.data.candidates.length === 0 ? (
          <Empty>No candidate violations.</Empty>
        ) : null}
        {violations.data?.candidates.length ? (
          <table className="table candidates">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Incident</th>
                <th scope="col">Agreement</th>
                <th scope="col">Party</th>
                <th scope="col">In force</th>
                <th scope="col">Decision</th>
                {canWrite ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {violations.data.candidates.map((c) => (
                <tr key={`${c.incident.id}|${c.agreementId}`}>
                  <td className="nowrap">{formatDay(c.incident.occurredOn)}</td>
                  <td>
                    <TypeLabel type={c.incident.type} />{' '}
                    <Link to={`/incidents/${encodeURIComponent(c.incident.id)}`} dir="auto">
                      {c.incident.title}
                    </Link>{' '}
                    <StatusBadge status={c.incident.status} />
                  </td>
                  <td dir="auto">{c.agreementName}</td>
                  <td>{c.partyId}</td>
                  <td>{c.inForce === 'in_force' ? 'in force' : <span className="flag">boundary</span>}</td>
                  <td>
                    {c.attribution ? (
                      <>
                        <strong>{humanize(c.attribution.decision)}</strong> ({c.attribution.partyId}) ·{' '}
                        <span className="hint">
                          {who(c.attribution.decidedBy)}, {formatInstant(c.attribution.decidedAt)}
                        </span>
                        <p className="note" dir="auto">
                          {c.attribution.reasoning}
                        </p>
                      </>
                    ) : (
                      <span className="awaiting">awaiting a decision</span>
                    )}
                  </td>
                  {canWrite ? (
                    <td>
                      <button type="button" className="button button-small" onClick={() => setTarget(c)}>
                        {c.attribution ? 'Revise…' : 'Attribute…'}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <AttributeDialog
        candidate={target}
        agreement={agreements.data?.find((a) => a.id === target?.agreementId)}
        onClose={() => setTarget(null)}
        onDone={(message) => {
          setTarget(null);
          setNotice(message);
          violations.reload();
        }}
      />
    </div>
  );
}
