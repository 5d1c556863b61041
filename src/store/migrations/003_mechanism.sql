-- The mechanism's daily work: monitors' attributions of violations, crossing reopening plans,
-- and commitment status decisions. Decisions are rows, never edits: the latest one counts.

CREATE TABLE violation_attributions (
  id            text PRIMARY KEY,
  incident_id   text NOT NULL REFERENCES incidents(id),
  agreement_id  text NOT NULL REFERENCES agreements(id),
  party_id      text NOT NULL REFERENCES parties(id),
  decision      text NOT NULL CHECK (decision IN ('attributed', 'unattributable', 'not_a_violation')),
  reasoning     text NOT NULL,
  decided_by    text NOT NULL,
  decided_at    timestamptz NOT NULL,
  ledger_seq    bigint NOT NULL
);
CREATE INDEX violation_attributions_incident ON violation_attributions (incident_id, agreement_id, decided_at);

CREATE TABLE reopening_plans (
  id           text PRIMARY KEY,
  place_id     text NOT NULL REFERENCES places(id),
  name         text NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL,
  ledger_seq   bigint NOT NULL
);

CREATE TABLE reopening_phases (
  id           text PRIMARY KEY,
  plan_id      text NOT NULL REFERENCES reopening_plans(id),
  ordinal      smallint NOT NULL CHECK (ordinal >= 1),
  description  text NOT NULL,
  conditions   jsonb NOT NULL DEFAULT '[]',
  began_on     date,
  ledger_seq   bigint NOT NULL,
  UNIQUE (plan_id, ordinal)
);

CREATE TABLE commitment_decisions (
  id             text PRIMARY KEY,
  commitment_id  text NOT NULL REFERENCES commitments(id),
  from_status    text NOT NULL,
  to_status      text NOT NULL CHECK (to_status IN ('open', 'met', 'partly_met', 'missed')),
  reason         text NOT NULL,
  evidence       jsonb NOT NULL DEFAULT '[]',
  decided_by     text NOT NULL,
  decided_at     timestamptz NOT NULL,
  ledger_seq     bigint NOT NULL
);

-- Claims are gathered per incident including those merged into it; this keeps that lookup indexed.
CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
