/** Row types of every table, as Kysely sees them (dates as strings, see engine.ts). */
import type { Generated } from 'kysely';

type Json = unknown;

export type PartyRow = { id: string; name: string; role: string; ledger_seq: number };
export type ActorRow = {
  id: string;
  name: string;
  kind: string;
  party_id: string | null;
  ledger_seq: number;
};
export type SourceRow = {
  id: string;
  name: string;
  kind: string;
  affiliation: string | null;
  reliability: string;
  protected: boolean;
  ledger_seq: number;
};
export type PlaceRow = {
  id: string;
  name: string;
  kind: string;
  country: string;
  admin1: string | null;
  admin2: string | null;
  lat: number;
  lon: number;
  geo_precision: number;
  aliases: Json;
  names: Json;
  crossing_kind: string | null;
  coord_source: string;
  ledger_seq: number;
};
export type DocumentRow = {
  id: string;
  content_hash: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published_at: string | null;
  body: string;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type IncidentRow = {
  id: string;
  type: string;
  title: string;
  occurred_on: string;
  date_precision: string;
  place_id: string | null;
  lat: number | null;
  lon: number | null;
  geo_precision: number | null;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  actor_id: string | null;
  target_id: string | null;
  status: string;
  fatalities: Json;
  injuries: Json;
  figures_disputed: boolean;
  fatalities_best: number;
  chain_id: string | null;
  merged_into: string | null;
  tlp: string;
  recipients: Json;
  created_at: string;
  updated_at: string;
  ledger_seq: number;
};
export type ClaimRow = {
  id: string;
  incident_id: string;
  source_id: string;
  document_id: string | null;
  published_at: string;
  quote: string;
  span_start: number | null;
  span_end: number | null;
  asserted: Json;
  figures: Json;
  credibility: number;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type StatusChangeRow = {
  id: string;
  incident_id: string;
  from_status: string;
  to_status: string;
  reason: string;
  evidence: Json;
  changed_by: string;
  changed_at: string;
  ledger_seq: number;
};
export type RetaliationLinkRow = {
  id: string;
  incident_id: string;
  answers_id: string;
  basis: string;
  reason: string;
  linked_by: string;
  linked_at: string;
  ledger_seq: number;
};
export type MergeRow = {
  id: string;
  kept_id: string;
  merged_id: string;
  reason: string;
  merged_by: string;
  merged_at: string;
  ledger_seq: number;
};
export type AgreementRow = {
  id: string;
  name: string;
  parties: Json;
  terms: string;
  starts_at: string;
  ends_at: string | null;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type CrossingStatusRow = {
  id: string;
  place_id: string;
  status: string;
  moves: Json;
  since: string;
  reason: string | null;
  stranded: number | null;
  trucks_queued: number | null;
  observer_present: boolean | null;
  recorded_by: string;
  created_at: string;
  ledger_seq: number;
};
export type CommitmentRow = {
  id: string;
  party_id: string;
  text: string;
  due_on: string | null;
  status: string;
  evidence: Json;
  tlp: string;
  recipients: Json;
  created_at: string;
  updated_at: string;
  ledger_seq: number;
};
export type UserRow = {
  id: string;
  username: string;
  role: string;
  party_id: string | null;
  disabled: boolean;
  created_at: string;
  ledger_seq: number;
};

export type IngestMatchRow = {
  id: string;
  document_id: string;
  claim_id: string;
  incident_id: string;
  decision: string;
  score: number | null;
  reason: string;
  created_at: string;
  ledger_seq: number;
};

export type ViolationAttributionRow = {
  id: string;
  incident_id: string;
  agreement_id: string;
  party_id: string;
  decision: string;
  reasoning: string;
  decided_by: string;
  decided_at: string;
  ledger_seq: number;
};
export type ReopeningPlanRow = {
  id: string;
  place_id: string;
  name: string;
  created_by: string;
  created_at: string;
  ledger_seq: number;
};
export type ReopeningPhaseRow = {
  id: string;
  plan_id: string;
  ordinal: number;
  description: string;
  conditions: Json;
  began_on: string | null;
  ledger_seq: number;
};
export type CommitmentDecisionRow = {
  id: string;
  commitment_id: string;
  from_status: string;
  to_status: string;
  reason: string;
  evidence: Json;
  decided_by: string;
  decided_at: string;
  ledger_seq: number;
};

export type FileRow = {
  /** SHA-256 of the bytes, lowercase hex. */
  id: string;
  size: number;
  media_type: string;
  original_name: string | null;
  derived_from: string | null;
  metadata_stripped: boolean;
  uploaded_by: string;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type SubmissionRow = {
  id: string;
  from_party: string;
  submitted_by: string;
  kind: string;
  subject: string;
  title: string;
  body: string;
  place_id: string | null;
  lat: number | null;
  lon: number | null;
  addressed_to: string | null;
  requested_action: string | null;
  files: Json;
  shareable_with: string | null;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type DerivativeRow = {
  id: string;
  submission_id: string;
  addressed_to: string;
  title: string;
  body: string;
  place_id: string | null;
  lat: number | null;
  lon: number | null;
  requested_action: string | null;
  files: Json;
  source_withheld: boolean;
  source_label: string;
  deadline: string | null;
  forwarded_by: string;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type ResponseRow = {
  id: string;
  derivative_id: string;
  party_id: string;
  responded_by: string;
  kind: string;
  text: string;
  files: Json;
  on_time: boolean;
  tlp: string;
  recipients: Json;
  created_at: string;
  ledger_seq: number;
};
export type ActionVerificationRow = {
  id: string;
  derivative_id: string;
  response_id: string;
  decision: string;
  reasoning: string;
  commitment_id: string | null;
  decided_by: string;
  tlp: string;
  recipients: Json;
  decided_at: string;
  ledger_seq: number;
};
export type WebhookRow = {
  id: string;
  party_id: string;
  url: string;
  secret: string;
  active: boolean;
  created_at: string;
};
export type WebhookDeliveryRow = {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  attempts: number;
  status: string;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string;
  delivered_at: string | null;
  created_at: string;
};

/** The tables record/ writes and the ledger covers: each row's image is on its entry. */
export type RecordTables = {
  parties: PartyRow;
  actors: ActorRow;
  sources: SourceRow;
  places: PlaceRow;
  documents: DocumentRow;
  incidents: IncidentRow;
  claims: ClaimRow;
  status_changes: StatusChangeRow;
  retaliation_links: RetaliationLinkRow;
  merges: MergeRow;
  agreements: AgreementRow;
  crossing_statuses: CrossingStatusRow;
  commitments: CommitmentRow;
  users: UserRow;
  ingest_matches: IngestMatchRow;
  violation_attributions: ViolationAttributionRow;
  reopening_plans: ReopeningPlanRow;
  reopening_phases: ReopeningPhaseRow;
  commitment_decisions: CommitmentDecisionRow;
  files: FileRow;
  submissions: SubmissionRow;
  derivatives: DerivativeRow;
  responses: ResponseRow;
  action_verifications: ActionVerificationRow;
};
export type RecordTable = keyof RecordTables;
export const RECORD_TABLES: readonly RecordTable[] = [
  'parties',
  'actors',
  'sources',
  'places',
  'documents',
  'incidents',
  'claims',
  'status_changes',
  'retaliation_links',
  'merges',
  'agreements',
  'crossing_statuses',
  'commitments',
  'users',
  'ingest_matches',
  'violation_attributions',
  'reopening_plans',
  'reopening_phases',
  'commitment_decisions',
  'files',
  'submissions',
  'derivatives',
  'responses',
  'action_verifications',
];

export type LedgerEntryRow = {
  seq: number;
  kind: string;
  body: string;
  leaf_hash: Buffer;
  created_at: string;
};
export type LedgerNodeRow = { level: number; idx: number; hash: Buffer };
export type LedgerFrontierRow = { id: number; tree_size: number; frontier: Json };
export type TreeHeadRow = {
  tree_size: number;
  root_hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
};
export type SigningKeyRow = { key_id: string; public_pem: string; created_at: string };

export type CredentialRow = {
  user_id: string;
  password_hash: string;
  must_change: boolean;
  updated_at: string;
};
export type SessionRow = {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
};
export type ApiTokenRow = {
  id: string;
  user_id: string;
  secret_hash: string;
  scope: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
};
export type AccessLogRow = {
  id: Generated<number>;
  at: Generated<string>;
  user_id: string | null;
  username: string | null;
  action: string;
  subject: string | null;
  ip: string | null;
};

export type Database = RecordTables & {
  credentials: CredentialRow;
  sessions: SessionRow;
  api_tokens: ApiTokenRow;
  access_log: AccessLogRow;
  file_blobs: { id: string; bytes: Buffer };
  webhooks: WebhookRow;
  webhook_deliveries: WebhookDeliveryRow;
  ledger_entries: LedgerEntryRow;
  ledger_nodes: LedgerNodeRow;
  ledger_frontier: LedgerFrontierRow;
  tree_heads: TreeHeadRow;
  signing_keys: SigningKeyRow;
  schema_migrations: { name: string; applied_at: Generated<string> };
};
