-- Limited intelligence-sharing: party submissions (allegations, requests for action), the
-- derivatives the mechanism forwards, responses, verification of claimed action, files,
-- and outgoing webhooks. Originals are visible to the mechanism and the submitting party
-- only; what another party sees is the derivative forwarded to it.

CREATE TABLE files (
  -- Content-addressed: the id is the lowercase hex SHA-256 of the bytes.
  id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  size          integer NOT NULL CHECK (size > 0),
  media_type    text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  original_name text,
  -- For a copy made to share beyond the mechanism: the original it was made from.
  derived_from  text REFERENCES files(id),
  metadata_stripped boolean NOT NULL DEFAULT false,
  uploaded_by   text NOT NULL,
  tlp           text NOT NULL,
  recipients    jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);

-- The bytes themselves, outside the ledger (which holds their SHA-256).
CREATE TABLE file_blobs (
  id      text PRIMARY KEY REFERENCES files(id),
  bytes   bytea NOT NULL
);

CREATE TABLE submissions (
  id               text PRIMARY KEY,
  from_party       text NOT NULL REFERENCES parties(id),
  submitted_by     text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('allegation', 'request', 'allegation_and_request')),
  subject          text NOT NULL CHECK (subject IN ('militant_presence', 'attack_origin', 'violation', 'other')),
  title            text NOT NULL,
  body             text NOT NULL,
  place_id         text REFERENCES places(id),
  lat              double precision,
  lon              double precision,
  addressed_to     text REFERENCES parties(id),
  requested_action text,
  files            jsonb NOT NULL DEFAULT '[]',
  -- Who the submitter allows the mechanism to forward a derivative to (null: mechanism only).
  shareable_with   text REFERENCES parties(id),
  tlp              text NOT NULL,
  recipients       jsonb NOT NULL,
  created_at       timestamptz NOT NULL,
  ledger_seq       bigint NOT NULL
);

CREATE TABLE derivatives (
  id              text PRIMARY KEY,
  submission_id   text NOT NULL REFERENCES submissions(id),
  addressed_to    text NOT NULL REFERENCES parties(id),
  title           text NOT NULL,
  body            text NOT NULL,
  place_id        text REFERENCES places(id),
  lat             double precision,
  lon             double precision,
  requested_action text,
  files           jsonb NOT NULL DEFAULT '[]',
  source_withheld boolean NOT NULL,
  -- Shown instead of the submitting party when the source is withheld.
  source_label    text NOT NULL,
  deadline        timestamptz,
  forwarded_by    text NOT NULL,
  tlp             text NOT NULL,
  recipients      jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  ledger_seq      bigint NOT NULL
);
CREATE INDEX derivatives_addressed ON derivatives (addressed_to, created_at);

CREATE TABLE responses (
  id             text PRIMARY KEY,
  derivative_id  text NOT NULL REFERENCES derivatives(id),
  party_id       text NOT NULL REFERENCES parties(id),
  responded_by   text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('acknowledged', 'action_taken', 'disputed', 'more_information')),
  text           text NOT NULL,
  files          jsonb NOT NULL DEFAULT '[]',
  on_time        boolean NOT NULL,
  tlp            text NOT NULL,
  recipients     jsonb NOT NULL,
  created_at     timestamptz NOT NULL,
  ledger_seq     bigint NOT NULL
);
CREATE INDEX responses_derivative ON responses (derivative_id, created_at);

CREATE TABLE action_verifications (
  id             text PRIMARY KEY,
  derivative_id  text NOT NULL REFERENCES derivatives(id),
  response_id    text NOT NULL REFERENCES responses(id),
  decision       text NOT NULL CHECK (decision IN ('verified', 'not_verified', 'partially')),
  reasoning      text NOT NULL,
  commitment_id  text REFERENCES commitments(id),
  decided_by     text NOT NULL,
  tlp            text NOT NULL,
  recipients     jsonb NOT NULL,
  decided_at     timestamptz NOT NULL,
  ledger_seq     bigint NOT NULL
);

-- Outgoing webhooks are configuration and delivery logs, not records; the secret never leaves the server.
CREATE TABLE webhooks (
  id          text PRIMARY KEY,
  party_id    text NOT NULL REFERENCES parties(id),
  url         text NOT NULL,
  secret      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id              text PRIMARY KEY,
  webhook_id      text NOT NULL REFERENCES webhooks(id),
  event           text NOT NULL,
  payload         text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  last_status_code integer,
  last_error      text,
  next_attempt_at timestamptz NOT NULL,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
