/** Inbox: what awaits the viewer in the exchange, kept live by the server's event stream (GET /exchange/events). */
import { useEffect, useState } from 'react';
import type {
  DelegateInbox,
  ExchangeRequest,
  ExchangeResponse,
  ExchangeSubmission,
  Inbox,
  MechanismInbox,
} from '../api/types.ts';
import { formatInstant, humanize, plural } from '../app/format.ts';
import { useSession } from '../app/session.tsx';
import { Empty, Loading } from '../components/States.tsx';

const EVENTS = '/exchange/events';

type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** The latest inbox from the stream and the state of the connection; EventSource reconnects by itself. */
function useInboxStream(enabled: boolean) {
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [notice, setNotice] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    // attempt: a manual reconnect after the browser gave up re-runs this effect.
    void attempt;
    setConnection('connecting');
    const source = new EventSource(EVENTS);
    source.onopen = () => {
      setConnection('live');
      setNotice(null);
    };
    source.addEventListener('inbox', (event) => {
      try {
        setInbox(JSON.parse((event as MessageEvent<string>).data) as Inbox);
        setUpdatedAt(new Date().toISOString());
        setConnection('live');
        setNotice(null);
      } catch {
        setNotice('The server sent an inbox the console could not read.');
      }
    });
    source.addEventListener('error', (event) => {
      // The server's own `event: error` (the inbox could not be read) arrives as a message with data.
      if (event instanceof MessageEvent && typeof event.data === 'string') {
        try {
          setNotice((JSON.parse(event.data) as { message?: string }).message ?? 'Inbox unavailable.');
        } catch {
          setNotice('Inbox unavailable.');
        }
        return;
      }
      // A dropped connection: CONNECTING means the browser is retrying; CLOSED means it gave up (e.g. 401).
      setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    });
    return () => source.close();
  }, [enabled, attempt]);

  return { inbox, connection, notice, updatedAt, reconnect: () => setAttempt((n) => n + 1) };
}

const CONNECTION_LABEL: Record<Connection, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  closed: 'disconnected',
};

function ConnectionState({
  connection,
  updatedAt,
  onReconnect,
}: {
  connection: Connection;
  updatedAt: string | null;
  onReconnect(): void;
}) {
  return (
    <p className="inbox-connection" role="status" aria-live="polite">
      <span
        className={`live-state live-${connection}`}
        data-testid="inbox-connection"
        data-state={connection}
      >
        {CONNECTION_LABEL[connection]}
      </span>
      {updatedAt ? <span className="hint"> updated {formatInstant(updatedAt)}</span> : null}
      {connection === 'closed' ? (
        <>
          {' '}
          <button type="button" className="button button-quiet button-small" onClick={onReconnect}>
            Reconnect
          </button>
        </>
      ) : null}
    </p>
  );
}

/** One line of any list: what, by when, from whom, when sent. */
type Row = {
  id: string;
  title: string;
  detail?: string | null;
  deadline: string | null;
  overdue: boolean;
  source: string;
  sent: string;
  state?: string | null;
};

function InboxTable({
  id,
  heading,
  rows,
  empty,
}: {
  id: string;
  heading: string;
  rows: Row[];
  empty: string;
}) {
  return (
    <section className="inbox-section" aria-labelledby={`inbox-${id}`} data-testid={`inbox-${id}`}>
      <h2 id={`inbox-${id}`}>
        {heading} <span className="count">{rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <table className="table inbox-table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Deadline</th>
              <th scope="col">Source</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={row.overdue ? 'is-overdue' : undefined} data-id={row.id}>
                <td dir="auto" className="inbox-title">
                  {row.title}
                  {row.state ? <span className="hint"> · {row.state}</span> : null}
                  {row.detail ? (
                    <span className="inbox-detail hint" dir="auto">
                      {row.detail}
                    </span>
                  ) : null}
                </td>
                <td className="nowrap">
                  {row.deadline ? formatInstant(row.deadline) : 'none'}
                  {row.overdue ? <span className="flag">overdue</span> : null}
                </td>
                <td dir="auto">{row.source}</td>
                <td className="nowrap">{formatInstant(row.sent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const requestRow = (r: ExchangeRequest): Row => ({
  id: r.id,
  title: r.title,
  detail: r.requested_action,
  deadline: r.deadline,
  overdue: r.overdue,
  source: r.source_label,
  sent: r.created_at,
});

function submissionRow(s: ExchangeSubmission, now: string): Row {
  const deadline = s.deadline ?? null;
  let state: string | null = null;
  if (s.forwardedAt !== undefined)
    state = s.answered
      ? 'answered'
      : s.forwardedAt
        ? `forwarded ${formatInstant(s.forwardedAt)}`
        : 'not forwarded yet';
  return {
    id: s.id,
    title: s.title,
    deadline,
    overdue: !s.answered && deadline !== null && deadline < now,
    source: s.from_party,
    sent: s.created_at,
    state,
  };
}

const responseRow = (r: ExchangeResponse): Row => ({
  id: r.id,
  title: `${humanize(r.kind)} on ${r.derivative_id}`,
  detail: r.text,
  deadline: null,
  overdue: false,
  source: r.party_id,
  sent: r.created_at,
  state: r.on_time ? 'on time' : 'late',
});

function isDelegateInbox(inbox: Inbox): inbox is DelegateInbox {
  return 'toAnswer' in inbox;
}

function Lists({ inbox }: { inbox: Inbox }) {
  const now = new Date().toISOString();
  if (isDelegateInbox(inbox))
    return (
      <>
        <InboxTable
          id="to-answer"
          heading="Requests to answer"
          rows={inbox.toAnswer.map(requestRow)}
          empty="No request awaits your answer."
        />
        <InboxTable
          id="overdue"
          heading="Overdue"
          rows={inbox.overdue.map(requestRow)}
          empty="Nothing is overdue."
        />
        <InboxTable
          id="submissions"
          heading="Your submissions"
          rows={inbox.submissions.map((s) => submissionRow(s, now))}
          empty="Your party has filed no submissions."
        />
      </>
    );
  const mechanism = inbox as MechanismInbox;
  return (
    <>
      <InboxTable
        id="to-forward"
        heading="Submissions to forward"
        rows={mechanism.toForward.map((s) => submissionRow(s, now))}
        empty="No submission awaits forwarding."
      />
      <InboxTable
        id="to-verify"
        heading="Responses to verify"
        rows={mechanism.toVerify.map(responseRow)}
        empty="No reported action awaits verification."
      />
      <InboxTable
        id="overdue"
        heading="Overdue requests"
        rows={mechanism.overdue.map(requestRow)}
        empty="Nothing is overdue."
      />
    </>
  );
}

/** Distinct items awaiting action: an overdue request is also one to answer, and counts once. */
function total(inbox: Inbox): number {
  const ids = isDelegateInbox(inbox)
    ? [...inbox.toAnswer, ...inbox.overdue].map((r) => r.id)
    : [...inbox.toForward, ...inbox.toVerify, ...inbox.overdue].map((r) => r.id);
  return new Set(ids).size;
}

export function InboxPage() {
  const { me } = useSession();
  const account = Boolean(me && me.role !== 'public');
  const { inbox, connection, notice, updatedAt, reconnect } = useInboxStream(account);
  return (
    <div className="page">
      <header className="page-head">
        <h1>Inbox</h1>
        <p className="lede">
          {me?.partyId
            ? `What the mechanism has asked ${me.partyId} to answer, and what became of ${me.partyId}'s submissions.`
            : 'Submissions to forward, reported actions to verify, and requests past their deadline.'}
        </p>
        {account ? (
          <ConnectionState connection={connection} updatedAt={updatedAt} onReconnect={reconnect} />
        ) : null}
      </header>
      {!account ? <Empty>Log in to see your inbox.</Empty> : null}
      {notice ? (
        <p className="state state-error" role="alert">
          {notice}
        </p>
      ) : null}
      {account && !inbox ? <Loading label="Waiting for the inbox…" /> : null}
      {inbox ? (
        <>
          <p className="hint" data-testid="inbox-total">
            {plural(total(inbox), 'item')} awaiting action
          </p>
          <Lists inbox={inbox} />
        </>
      ) : null}
    </div>
  );
}
