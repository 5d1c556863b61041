/**
 * The demo: the October 2025 Pakistan–Afghanistan incidents as the two corpus articles (and a
 * desk note restating the sides' public figures) describe them. Data only; seed.ts enters it.
 */

export const DEMO_PARTIES = [
  { id: 'PK', name: 'Pakistan', role: 'belligerent' },
  { id: 'AF', name: 'Afghanistan (de facto Taliban authorities)', role: 'belligerent' },
  { id: 'QA', name: 'Qatar', role: 'mediator' },
  { id: 'TR', name: 'Türkiye', role: 'mediator' },
  { id: 'MON', name: 'The monitoring and verification mechanism', role: 'monitor' },
] as const;

export const DEMO_ACTORS = [
  { id: 'PK.military', name: 'Pakistan Armed Forces', kind: 'state_force', partyId: 'PK' },
  { id: 'AF.forces', name: 'Afghan Taliban forces', kind: 'state_force', partyId: 'AF' },
  // CODEBOOK: that a group is sheltered by a party is itself a claim, so no party here.
  { id: 'TTP', name: 'Tehrik-e-Taliban Pakistan', kind: 'non_state', partyId: null },
  { id: 'ISKP', name: 'Islamic State Khorasan Province', kind: 'non_state', partyId: null },
  { id: 'civilians', name: 'Civilians', kind: 'civilians', partyId: null },
  { id: 'unknown', name: 'Unknown', kind: 'unknown', partyId: null },
] as const;

export const DEMO_SOURCES = [
  {
    id: 'ispr',
    name: 'Inter-Services Public Relations (ISPR)',
    kind: 'party_official',
    affiliation: 'PK',
    reliability: 'C',
  },
  {
    id: 'pk-officials',
    name: 'Pakistani officials (unnamed)',
    kind: 'party_official',
    affiliation: 'PK',
    reliability: 'D',
  },
  {
    id: 'mujahid',
    name: 'Zabihullah Mujahid, Taliban spokesman',
    kind: 'party_official',
    affiliation: 'AF',
    reliability: 'C',
  },
  { id: 'hurriyat', name: 'Hurriyat Radio', kind: 'state_media', affiliation: 'AF', reliability: 'D' },
  { id: 'reuters', name: 'Reuters', kind: 'wire', affiliation: null, reliability: 'B' },
  {
    id: 'republic-policy',
    name: 'Republic Policy',
    kind: 'national_media',
    affiliation: null,
    reliability: 'C',
  },
  {
    id: 'explainer-2025-11',
    name: 'Explainer, outlet unknown (Nov 2025)',
    kind: 'analyst',
    affiliation: null,
    reliability: 'F',
  },
] as const;

export type DemoDocument = {
  key: string;
  file: string;
  title: string;
  outlet: string | null;
  publishedAt: string;
};

/** Publication dates of the articles are not known exactly (see shared/corpus/INDEX.tsv); these are estimates. */
export const DEMO_DOCUMENTS: DemoDocument[] = [
  {
    key: 'republic-policy',
    file: 'corpus/000_ef559f3fe0a01c17.txt',
    title: 'Republic Policy (Bilawal Kamran): the Afghan Taliban–Pakistan rift',
    outlet: 'Republic Policy',
    publishedAt: '2025-10-18',
  },
  {
    key: 'explainer',
    file: 'corpus/004_b64a55d33e10ec60.txt',
    title: 'How Pakistan lost the Taliban: Inside the collapse of a dangerous alliance',
    outlet: null,
    publishedAt: '2025-11-10',
  },
  {
    key: 'desk-note',
    file: 'desk-note-2025-10.txt',
    title: 'Mechanism desk note (demo): statements on the October 2025 border clashes',
    outlet: 'Truce demo',
    publishedAt: '2025-10-20',
  },
];

type Figure = {
  measure: 'fatalities' | 'injuries';
  category: 'military' | 'civilian' | 'militant' | 'unknown';
  side: string | null;
  value: number;
  qualifier: 'exact' | 'at_least' | 'more_than' | 'about' | 'up_to';
};
export type DemoClaim = {
  source: string;
  document: string;
  quote: string;
  publishedAt: string;
  figures?: Figure[];
  asserted?: Record<string, unknown>;
  credibility?: number;
};
export type DemoIncident = {
  key: string;
  type: string;
  title: string;
  occurredOn: string;
  datePrecision?: 'day' | 'week' | 'month';
  placeId: string;
  actorId: string;
  targetId: string;
  claims: DemoClaim[];
  answers?: { key: string; reason: string };
};

const killed = (
  side: string | null,
  value: number,
  category: Figure['category'],
  qualifier: Figure['qualifier'] = 'exact',
): Figure => ({
  measure: 'fatalities',
  category,
  side,
  value,
  qualifier,
});

export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    key: 'kabul-strike',
    type: 'airstrike',
    title: 'Airstrike in Kabul said to target TTP leader Noor Wali Mehsud',
    occurredOn: '2025-10-09',
    // The article says only "recent"; the day is the press's, the precision what this source allows.
    datePrecision: 'week',
    placeId: 'af-kabul',
    actorId: 'PK.military',
    targetId: 'TTP',
    claims: [
      {
        source: 'pk-officials',
        document: 'republic-policy',
        quote:
          'According to Pakistani officials, a recent airstrike in Kabul targeted TTP leader Noor Wali Mehsud — though he survived and later appeared in a video message reaffirming his campaign.',
        publishedAt: '2025-10-18',
        asserted: { type: 'airstrike', actorId: 'PK.military', targetId: 'TTP' },
      },
    ],
  },
  {
    key: 'border-clashes',
    type: 'armed_clash',
    title: 'Afghan Taliban forces attack Pakistani border posts; heavy exchange of fire',
    occurredOn: '2025-10-12',
    placeId: 'pk-kp',
    actorId: 'AF.forces',
    targetId: 'PK.military',
    answers: {
      key: 'kabul-strike',
      reason:
        'The explainer says the Taliban "retaliated with attacks on Pakistani border posts" after the strikes.',
    },
    claims: [
      {
        source: 'ispr',
        document: 'desk-note',
        quote:
          "On 12 October 2025 the Pakistani military's media wing (ISPR) said 23 Pakistani soldiers were killed and more than 200 Taliban and affiliated fighters were killed in the overnight clashes along the border.",
        publishedAt: '2025-10-12',
        figures: [killed('PK', 23, 'military'), killed('AF', 200, 'military', 'more_than')],
      },
      {
        source: 'mujahid',
        document: 'desk-note',
        quote:
          'The same day, Taliban spokesman Zabihullah Mujahid said 58 Pakistani soldiers were killed and 9 Afghan Taliban fighters were killed.',
        publishedAt: '2025-10-12',
        figures: [killed('PK', 58, 'military'), killed('AF', 9, 'military')],
      },
      {
        source: 'explainer-2025-11',
        document: 'explainer',
        quote:
          'In October 2025, the situation erupted into high-intensity clashes: Pakistan launched strikes it said targeted TTP leaders inside Afghan territory, while the Taliban retaliated with attacks on Pakistani border posts.',
        publishedAt: '2025-11-10',
        asserted: { actorId: 'AF.forces', retaliation: true },
      },
    ],
  },
  {
    key: 'torkham-closed',
    type: 'crossing_closure',
    title: 'Torkham crossing closed after the clashes',
    occurredOn: '2025-10-12',
    placeId: 'xing-torkham',
    actorId: 'PK.military',
    targetId: 'civilians',
    claims: [
      {
        source: 'pk-officials',
        document: 'desk-note',
        quote: 'Pakistan closed the Torkham and Chaman crossings on 12 October after the clashes.',
        publishedAt: '2025-10-12',
      },
      {
        source: 'explainer-2025-11',
        document: 'explainer',
        quote:
          'The result was a dangerous spiral, border crossings shut, civilians stranded, and both sides trading casualty claims.',
        publishedAt: '2025-11-10',
      },
    ],
  },
  {
    key: 'chaman-closed',
    type: 'crossing_closure',
    title: 'Chaman–Spin Boldak crossing closed after the clashes',
    occurredOn: '2025-10-12',
    placeId: 'xing-chaman-spin-boldak',
    actorId: 'PK.military',
    targetId: 'civilians',
    claims: [
      {
        source: 'pk-officials',
        document: 'desk-note',
        quote: 'Pakistan closed the Torkham and Chaman crossings on 12 October after the clashes.',
        publishedAt: '2025-10-12',
      },
    ],
  },
  {
    key: 'paktika-strikes',
    type: 'airstrike',
    title: 'Pakistani airstrikes in Paktika; three members of a local cricket team killed',
    occurredOn: '2025-10-17',
    placeId: 'af-paktika',
    actorId: 'PK.military',
    targetId: 'civilians',
    claims: [
      {
        source: 'hurriyat',
        document: 'republic-policy',
        quote:
          'According to Taliban-controlled Hurriyat Radio, Afghan forces launched “retaliatory operations” on Pakistani border posts after Pakistani airstrikes targeted Afghanistan’s Paktika province.',
        publishedAt: '2025-10-17',
        asserted: { type: 'airstrike', actorId: 'PK.military' },
      },
      {
        source: 'republic-policy',
        document: 'republic-policy',
        quote: 'At least three members of a local cricket team were killed, and several others wounded.',
        publishedAt: '2025-10-18',
        figures: [killed('AF', 3, 'civilian', 'at_least')],
      },
    ],
  },
  {
    key: 'retaliatory-operations',
    type: 'armed_clash',
    title: 'Afghan forces launch "retaliatory operations" on Pakistani border posts',
    occurredOn: '2025-10-17',
    placeId: 'pk-kp',
    actorId: 'AF.forces',
    targetId: 'PK.military',
    answers: {
      key: 'paktika-strikes',
      reason: 'Hurriyat Radio calls them "retaliatory operations" after the Paktika strikes.',
    },
    claims: [
      {
        source: 'hurriyat',
        document: 'republic-policy',
        quote:
          'According to Taliban-controlled Hurriyat Radio, Afghan forces launched “retaliatory operations” on Pakistani border posts after Pakistani airstrikes targeted Afghanistan’s Paktika province.',
        publishedAt: '2025-10-17',
        asserted: { type: 'armed_clash', actorId: 'AF.forces', retaliation: true },
      },
    ],
  },
];

export const DEMO_AGREEMENTS = [
  {
    id: 'truce-2025-10-15',
    name: '48-hour temporary ceasefire (15 October 2025)',
    parties: ['PK', 'AF'],
    terms:
      'A temporary ceasefire of 48 hours from 6 p.m. Pakistan time on 15 October 2025, during which both sides would seek a negotiated solution.',
    startsAt: '2025-10-15T13:00:00Z',
    endsAt: '2025-10-17T13:00:00Z',
  },
  {
    id: 'doha-2025-10-19',
    name: 'Doha ceasefire (19 October 2025)',
    parties: ['PK', 'AF'],
    terms:
      'An immediate ceasefire agreed in Doha with Qatari and Turkish mediation, with follow-up meetings to make it last.',
    startsAt: '2025-10-19T00:00:00Z',
    endsAt: null,
  },
];

export const DEMO_CROSSING_STATUSES = [
  {
    placeId: 'xing-torkham',
    status: 'closed',
    since: '2025-10-12',
    reason: 'Closed after the 11–12 October clashes',
    observerPresent: false,
  },
  {
    placeId: 'xing-chaman-spin-boldak',
    status: 'closed',
    since: '2025-10-12',
    reason: 'Closed after the 11–12 October clashes',
    observerPresent: false,
  },
] as const;

export const DEMO_COMMITMENTS = [
  {
    id: 'af-action-against-ttp',
    partyId: 'AF',
    text: 'Take demonstrable action against militant groups (the TTP) operating from Afghan territory — the benchmark analysts propose tying aid or trade incentives to.',
    status: 'open',
    evidence: [{ kind: 'document', ref: 'explainer' }],
  },
] as const;
