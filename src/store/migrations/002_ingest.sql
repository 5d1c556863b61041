-- Ingest: how each claim read from a document was placed — on an existing incident (with the
-- match score and its reason) or on a new one. Written in the same transaction as the claim and
-- stamped with the ledger sequence number of the entry that covers it.
CREATE TABLE ingest_matches (
  id           text PRIMARY KEY,
  document_id  text NOT NULL REFERENCES documents(id),
  claim_id     text NOT NULL REFERENCES claims(id),
  incident_id  text NOT NULL REFERENCES incidents(id),
  decision     text NOT NULL CHECK (decision IN ('matched', 'created')),
  score        double precision CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  reason       text NOT NULL,
  created_at   timestamptz NOT NULL,
  ledger_seq   bigint NOT NULL
);
CREATE INDEX ingest_matches_incident ON ingest_matches (incident_id);
CREATE INDEX ingest_matches_document ON ingest_matches (document_id);
