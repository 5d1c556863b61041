/**
 * The codebook's vocabulary as the console shows it: incident types with their colours, statuses,
 * TLP levels, the Admiralty scale. Mirrors src/domain (test/browser/vocabulary.test.ts keeps them equal).
 */

export const INCIDENT_TYPES = [
  'airstrike',
  'drone_strike',
  'shelling',
  'armed_clash',
  'militant_attack',
  'crossing_closure',
  'crossing_reopening',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/**
 * Okabe–Ito: eight hues that stay distinct under the common colour-vision deficiencies. Kinetic
 * strikes take the warm end, ground fighting the blues, crossings the cool greens, so related
 * types read as related. Every use is paired with the type's name.
 */
export const TYPE_STYLE: Record<IncidentType, { label: string; short: string; color: string }> = {
  airstrike: { label: 'Airstrike', short: 'Air', color: '#D55E00' },
  drone_strike: { label: 'Drone strike', short: 'Drone', color: '#CC79A7' },
  shelling: { label: 'Shelling', short: 'Shell', color: '#E69F00' },
  armed_clash: { label: 'Armed clash', short: 'Clash', color: '#0072B2' },
  militant_attack: { label: 'Militant attack', short: 'Militant', color: '#2B2B2B' },
  crossing_closure: { label: 'Crossing closure', short: 'Closure', color: '#56B4E9' },
  crossing_reopening: { label: 'Crossing reopening', short: 'Reopening', color: '#009E73' },
  other: { label: 'Other', short: 'Other', color: '#9A9A9A' },
};

export function typeStyle(type: string) {
  return TYPE_STYLE[type as IncidentType] ?? { label: type, short: type, color: '#9A9A9A' };
}

export const STATUSES = ['reported', 'corroborated', 'verified', 'disputed', 'refuted'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<Status, string> = {
  reported: 'Reported',
  corroborated: 'Corroborated',
  verified: 'Verified',
  disputed: 'Disputed',
  refuted: 'Refuted',
};

/** CODEBOOK § Verification, as src/domain/verification.ts allows it. */
export const ALLOWED_MOVES: Record<Status, readonly Status[]> = {
  reported: ['corroborated', 'verified', 'disputed', 'refuted'],
  corroborated: ['reported', 'verified', 'disputed', 'refuted'],
  verified: ['disputed', 'refuted', 'corroborated'],
  disputed: ['reported', 'corroborated', 'verified', 'refuted'],
  refuted: ['reported', 'disputed'],
};

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const TLP_MEANING: Record<Tlp, string> = {
  CLEAR: 'Public',
  GREEN: 'All registered users',
  AMBER: 'The mechanism and the parties listed',
  'AMBER+STRICT': 'The mechanism and the one party listed',
  RED: 'Named people only',
};

/** NATO Admiralty scale (AJP-2.1): source reliability and information credibility. */
export const RELIABILITY: Record<string, string> = {
  A: 'Completely reliable',
  B: 'Usually reliable',
  C: 'Fairly reliable',
  D: 'Not usually reliable',
  E: 'Unreliable',
  F: 'Reliability cannot be judged',
};
export const CREDIBILITY: Record<number, string> = {
  1: 'Confirmed by other sources',
  2: 'Probably true',
  3: 'Possibly true',
  4: 'Doubtful',
  5: 'Improbable',
  6: 'Truth cannot be judged',
};

export const SOURCE_KIND: Record<string, string> = {
  wire: 'Wire agency',
  national_media: 'National media',
  state_media: 'State media',
  party_official: 'Party official',
  monitor: 'Monitor',
  ngo: 'NGO',
  social_media: 'Social media',
  analyst: 'Analyst',
};

export const CATEGORIES = ['military', 'civilian', 'militant', 'unknown'] as const;

export const ROLE_IN_RECONCILIATION: Record<string, string> = {
  admission: 'Admission — a party on its own losses: a credible low',
  boast: "Boast — a party on another side's losses: at most a high",
  independent: 'Independent — sets the best estimate',
  other: 'Other — counts toward the high only',
};

export const EVIDENCE_KINDS = ['imagery', 'field_report', 'document', 'claim', 'file', 'url'] as const;
