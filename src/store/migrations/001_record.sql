-- The record: reference rows, incidents, claims, documents, agreements, crossings,
-- commitments, users and the ledger. Every row written by record/ carries the
-- sequence number of the ledger entry that last wrote it (ledger_seq), so that
-- `truce ledger verify` can compare each row with its entry.

CREATE TABLE parties (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('belligerent', 'mediator', 'monitor')),
  ledger_seq  bigint NOT NULL
);

CREATE TABLE actors (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('state_force', 'non_state', 'civilians', 'unknown')),
  party_id    text REFERENCES parties(id),
  ledger_seq  bigint NOT NULL
);

CREATE TABLE sources (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('wire', 'national_media', 'state_media', 'party_official',
                                             'monitor', 'ngo', 'social_media', 'analyst')),
  affiliation text REFERENCES parties(id),
  reliability text NOT NULL CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
  protected   boolean NOT NULL DEFAULT false,
  ledger_seq  bigint NOT NULL
);

CREATE TABLE places (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('country', 'province', 'district', 'town', 'border_post', 'crossing')),
  country       text NOT NULL,
  admin1        text,
  admin2        text,
  lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon           double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  geo_precision smallint NOT NULL CHECK (geo_precision IN (1, 2, 3)),
  aliases       jsonb NOT NULL DEFAULT '[]',
  names         jsonb NOT NULL DEFAULT '{}',
  crossing_kind text CHECK (crossing_kind IN ('trade', 'pedestrian', 'both')),
  coord_source  text NOT NULL,
  ledger_seq    bigint NOT NULL
);

CREATE TABLE documents (
  id            text PRIMARY KEY,
  content_hash  text NOT NULL UNIQUE,
  title         text,
  url           text,
  outlet        text,
  published_at  timestamptz,
  body          text NOT NULL,
  tlp           text NOT NULL,
  recipients    jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);

CREATE TABLE incidents (
  id              text PRIMARY KEY,
  type            text NOT NULL,
  title           text NOT NULL,
  occurred_on     date NOT NULL,
  date_precision  text NOT NULL CHECK (date_precision IN ('day', 'week', 'month')),
  place_id        text REFERENCES places(id),
  lat             double precision,
  lon             double precision,
  geo_precision   smallint CHECK (geo_precision IN (1, 2, 3)),
  country         text,
  admin1          text,
  admin2          text,
  actor_id        text REFERENCES actors(id),
  target_id       text REFERENCES actors(id),
  status          text NOT NULL,
  fatalities      jsonb NOT NULL,
  injuries        jsonb NOT NULL,
  figures_disputed boolean NOT NULL DEFAULT false,
  fatalities_best integer NOT NULL DEFAULT 0,
  chain_id        text,
  merged_into     text REFERENCES incidents(id),
  tlp             text NOT NULL,
  recipients      jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  ledger_seq      bigint NOT NULL
);
CREATE INDEX incidents_occurred_on ON incidents (occurred_on);
CREATE INDEX incidents_type_occurred ON incidents (type, occurred_on);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_actor ON incidents (actor_id);
CREATE INDEX incidents_lat_lon ON incidents (lat, lon);
CREATE INDEX incidents_chain ON incidents (chain_id) WHERE chain_id IS NOT NULL;

CREATE TABLE claims (
  id            text PRIMARY KEY,
  incident_id   text NOT NULL REFERENCES incidents(id),
  source_id     text NOT NULL REFERENCES sources(id),
  document_id   text REFERENCES documents(id),
  published_at  timestamptz NOT NULL,
  quote         text NOT NULL,
  span_start    integer,
  span_end      integer,
  asserted      jsonb NOT NULL,
  figures       jsonb NOT NULL,
  credibility   smallint NOT NULL CHECK (credibility BETWEEN 1 AND 6),
  tlp           text NOT NULL,
  recipients    jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL,
  CHECK ((span_start IS NULL) = (span_end IS NULL)),
  CHECK (span_start IS NULL OR (span_start >= 0 AND span_end > span_start))
);
CREATE INDEX claims_incident ON claims (incident_id);
CREATE INDEX claims_source ON claims (source_id);

CREATE TABLE status_changes (
  id            text PRIMARY KEY,
  incident_id   text NOT NULL REFERENCES incidents(id),
  from_status   text NOT NULL,
  to_status     text NOT NULL,
  reason        text NOT NULL,
  evidence      jsonb NOT NULL DEFAULT '[]',
  changed_by    text NOT NULL,
  changed_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);
CREATE INDEX status_changes_incident ON status_changes (incident_id);

CREATE TABLE retaliation_links (
  id            text PRIMARY KEY,
  incident_id   text NOT NULL REFERENCES incidents(id),
  answers_id    text NOT NULL REFERENCES incidents(id),
  basis         text NOT NULL CHECK (basis IN ('source', 'monitor')),
  reason        text NOT NULL,
  linked_by     text NOT NULL,
  linked_at     timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL,
  UNIQUE (incident_id, answers_id),
  CHECK (incident_id <> answers_id)
);

CREATE TABLE merges (
  id            text PRIMARY KEY,
  kept_id       text NOT NULL REFERENCES incidents(id),
  merged_id     text NOT NULL REFERENCES incidents(id) UNIQUE,
  reason        text NOT NULL,
  merged_by     text NOT NULL,
  merged_at     timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);

CREATE TABLE agreements (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  parties       jsonb NOT NULL,
  terms         text NOT NULL,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz,
  tlp           text NOT NULL,
  recipients    jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL,
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);

CREATE TABLE crossing_statuses (
  id               text PRIMARY KEY,
  place_id         text NOT NULL REFERENCES places(id),
  status           text NOT NULL CHECK (status IN ('open', 'restricted', 'closed')),
  moves            jsonb NOT NULL DEFAULT '[]',
  since            timestamptz NOT NULL,
  reason           text,
  stranded         integer CHECK (stranded >= 0),
  trucks_queued    integer CHECK (trucks_queued >= 0),
  observer_present boolean,
  recorded_by      text NOT NULL,
  created_at       timestamptz NOT NULL,
  ledger_seq       bigint NOT NULL
);
CREATE INDEX crossing_statuses_place ON crossing_statuses (place_id, since);

CREATE TABLE commitments (
  id            text PRIMARY KEY,
  party_id      text NOT NULL REFERENCES parties(id),
  text          text NOT NULL,
  due_on        date,
  status        text NOT NULL CHECK (status IN ('open', 'met', 'partly_met', 'missed')),
  evidence      jsonb NOT NULL DEFAULT '[]',
  tlp           text NOT NULL,
  recipients    jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);

-- Credentials live outside the ledger: a password hash must never become a permanent public-ish record.
CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  role          text NOT NULL CHECK (role IN ('admin', 'monitor', 'analyst', 'delegate')),
  party_id      text REFERENCES parties(id),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL,
  CHECK ((role = 'delegate') = (party_id IS NOT NULL))
);

-- The ledger. body is the RFC 8785 canonical JSON of the entry, kept byte-exact.
CREATE TABLE ledger_entries (
  seq         bigint PRIMARY KEY,
  kind        text NOT NULL,
  body        text NOT NULL,
  leaf_hash   bytea NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Hashes of complete, aligned perfect subtrees (level >= 1), so that proofs read
-- O(log n) rows instead of every leaf.
CREATE TABLE ledger_nodes (
  level  smallint NOT NULL,
  idx    bigint NOT NULL,
  hash   bytea NOT NULL,
  PRIMARY KEY (level, idx)
);

-- The right edge of the tree after the last append (one row).
CREATE TABLE ledger_frontier (
  id         smallint PRIMARY KEY CHECK (id = 1),
  tree_size  bigint NOT NULL,
  frontier   jsonb NOT NULL
);
INSERT INTO ledger_frontier (id, tree_size, frontier) VALUES (1, 0, '{"size": 0, "subtrees": []}');

CREATE TABLE tree_heads (
  tree_size   bigint PRIMARY KEY,
  root_hash   text NOT NULL,
  signed_at   timestamptz NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL
);

CREATE TABLE signing_keys (
  key_id      text PRIMARY KEY,
  public_pem  text NOT NULL,
  created_at  timestamptz NOT NULL
);
