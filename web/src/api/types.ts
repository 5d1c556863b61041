/** What the API returns, as the console reads it (src/query/present.ts and the route files shape it). */

export type Role = 'admin' | 'monitor' | 'analyst' | 'delegate' | 'public';

export type Me = {
  role: Role;
  userId: string | null;
  partyId: string | null;
  username: string;
  csrfToken: string | null;
  mustChangePassword: boolean;
  scope: 'read' | 'write';
};

export type Triple = { low: number; best: number; high: number };
export type FigureGroup = {
  measure: 'fatalities' | 'injuries';
  category: string;
  side: string | null;
  low: number | null;
  best: number | null;
  high: number | null;
  disputed: boolean;
  rule: string;
  basis: { low: string[]; best: string[]; high: string[] };
  roles: Record<string, string>;
  superseded: string[];
};
export type Figures = { groups: FigureGroup[]; totals: Record<string, Triple> };

export type Incident = {
  id: string;
  type: string;
  title: string;
  occurredOn: string;
  datePrecision: string;
  place: {
    id: string | null;
    lat: number | null;
    lon: number | null;
    geoPrecision: number | null;
    country: string | null;
    admin1: string | null;
    admin2: string | null;
  };
  actorId: string | null;
  targetId: string | null;
  status: string;
  fatalities: Figures;
  injuries: Figures;
  fatalitiesBest: number;
  figuresDisputed: boolean;
  chainId: string | null;
  mergedInto: string | null;
  tlp: string;
  recipients: string[];
  createdAt: string;
  updatedAt: string;
  ledgerSeq: number;
};

export type Figure = {
  measure: string;
  category: string;
  side: string | null;
  value: number;
  qualifier: string;
};

export type Claim = {
  id: string;
  incidentId: string;
  sourceId: string;
  documentId: string | null;
  publishedAt: string;
  quote: string;
  span: { start: number; end: number } | null;
  asserted: Record<string, unknown>;
  figures: Figure[];
  credibility: number;
  tlp: string;
  ledgerSeq: number;
  source: { id: string; name: string; kind: string; affiliation: string | null; reliability: string } | null;
};

export type StatusChange = {
  id: string;
  fromStatus: string;
  toStatus: string;
  reason: string;
  evidence: { kind: string; ref: string; note?: string }[];
  changedBy: string;
  changedAt: string;
  ledgerSeq: number;
};

export type RetaliationLink = {
  id: string;
  incidentId: string;
  answersId: string;
  basis: string;
  reason: string;
  linkedBy: string;
  linkedAt: string;
  ledgerSeq: number;
};

export type IncidentRecord = Incident & {
  claims: Claim[];
  statusHistory: StatusChange[];
  answers: RetaliationLink[];
  answeredBy: RetaliationLink[];
  merged: { id: string; title: string; occurredOn: string }[];
};

export type DocumentRecord = {
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  publishedAt: string | null;
  body: string;
  tlp: string;
};

export type Place = {
  id: string;
  name: string;
  kind: string;
  country: string;
  admin1: string | null;
  admin2: string | null;
  lat: number;
  lon: number;
  names: Record<string, string>;
  aliases: string[];
  crossingKind: string | null;
};

export type Party = { id: string; name: string; role: string };
export type Actor = { id: string; name: string; kind: string; partyId: string | null };

export type TreeHead = {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
};
export type InclusionProof = { seq: number; treeSize: number; leafHash: string; proof: string[] };
export type ConsistencyProof = { oldSize: number; newSize: number; proof: string[] };
export type LedgerEntry =
  | { seq: number; leafHash: string; visible: true; body: string }
  | { seq: number; leafHash: string; visible: false };

export type QueueItem = { incident: Incident; score: number; reasons: string[] };

export type CrossingStatus = {
  id: string;
  status: string;
  moves: string[];
  since: string;
  reason: string | null;
  stranded: number | null;
  trucksQueued: number | null;
  observerPresent: boolean | null;
  recordedBy: string;
  ledgerSeq: number;
};
export type Crossing = Place & {
  current: CrossingStatus | null;
  daysClosed: number;
  history: CrossingStatus[];
  plans: {
    id: string;
    name: string;
    phases: {
      id: string;
      ordinal: number;
      description: string;
      conditions: unknown;
      beganOn: string | null;
    }[];
  }[];
};

export type Agreement = {
  id: string;
  name: string;
  parties: string[];
  terms: string;
  startsAt: string;
  endsAt: string | null;
  tlp: string;
};

export type Attribution = {
  id: string;
  decision: string;
  partyId: string;
  reasoning: string;
  decidedBy: string;
  decidedAt: string;
  ledgerSeq: number;
};
export type Candidate = {
  incident: {
    id: string;
    title: string;
    type: string;
    occurredOn: string;
    status: string;
    actorId: string | null;
  };
  agreementId: string;
  agreementName: string;
  partyId: string;
  inForce: 'in_force' | 'boundary';
  attribution: Attribution | null;
};
export type Violations = {
  register: { partyId: string; week: string; count: number; incidentIds: string[] }[];
  candidates: Candidate[];
};

export type Commitment = {
  id: string;
  partyId: string;
  text: string;
  dueOn: string | null;
  status: string;
  evidence: { kind: string; ref: string }[];
  tlp: string;
  overdue: boolean;
};

export type Cluster = {
  lat: number;
  lon: number;
  count: number;
  best: number;
  types: Record<string, number>;
  incident: {
    id: string;
    title: string;
    type: string;
    status: string;
    occurredOn: string;
    tlp: string;
    best: number;
  } | null;
};
export type ClusterResult = {
  zoom: number;
  clusters: Cluster[];
  total: number;
  best: number;
  unlocated: number;
  partialFigures: boolean;
};
export type DailyCounts = {
  days: { day: string; counts: Record<string, number> }[];
  first: string | null;
  last: string | null;
};
export type SituationRow = {
  id: string;
  type: string;
  title: string;
  occurredOn: string;
  datePrecision: string;
  status: string;
  tlp: string;
  placeId: string | null;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  actorId: string | null;
  fatalitiesBest: number;
  figuresDisputed: boolean;
};
export type SituationPage = { incidents: SituationRow[]; next: string | null; total: number };

/** The exchange as GET /exchange/events sends it: database rows, snake_case (src/query/exchange.ts). */
export type ExchangeRequest = {
  id: string;
  addressed_to: string;
  title: string;
  requested_action: string | null;
  source_label: string;
  deadline: string | null;
  tlp: string;
  created_at: string;
  overdue: boolean;
};
export type ExchangeSubmission = {
  id: string;
  from_party: string;
  kind: string;
  title: string;
  addressed_to: string | null;
  shareable_with: string | null;
  created_at: string;
  /** Present on a party's own submissions: when and with what deadline the mechanism forwarded it. */
  forwardedAt?: string | null;
  deadline?: string | null;
  answered?: boolean;
};
export type ExchangeResponse = {
  id: string;
  derivative_id: string;
  party_id: string;
  kind: string;
  text: string;
  on_time: boolean;
  created_at: string;
};
export type DelegateInbox = {
  toAnswer: ExchangeRequest[];
  overdue: ExchangeRequest[];
  submissions: ExchangeSubmission[];
};
export type MechanismInbox = {
  toForward: ExchangeSubmission[];
  toVerify: ExchangeResponse[];
  overdue: ExchangeRequest[];
};
export type Inbox = DelegateInbox | MechanismInbox;
