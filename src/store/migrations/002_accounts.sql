-- Accounts outside the ledger: credentials, sessions, API tokens and the access log are
-- operational secrets and logs, not records. The `users` rows themselves (who has which
-- role for which party) are on the ledger.

CREATE TABLE credentials (
  user_id          text PRIMARY KEY REFERENCES users(id),
  password_hash    text NOT NULL,
  -- A password printed once (the first admin, `truce user add`) must be replaced at first log-in.
  must_change      boolean NOT NULL DEFAULT true,
  updated_at       timestamptz NOT NULL
);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  secret_hash  text NOT NULL,
  scope        text NOT NULL CHECK (scope IN ('read', 'write')),
  label        text,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE access_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  user_id   text,
  username  text,
  action    text NOT NULL,
  subject   text,
  ip        text
);
CREATE INDEX access_log_action_at ON access_log (action, at);
CREATE INDEX access_log_username_at ON access_log (username, at) WHERE action = 'login_failed';
