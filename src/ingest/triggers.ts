/**
 * Event triggers: the words that say an incident of a codebook type happened, and the words for
 * agreements and talks. A trigger alone is not an incident: extract.ts drops hypothetical and
 * generic ones (HYPOTHETICAL, GENERIC) and those with neither a date nor a place.
 */
import type { IncidentType } from '../domain/incident.ts';

/**
 * `attack` is resolved by its actor: a non-state group's is a militant attack, a state's a clash.
 * `operation` (a follow-up, clearance or intelligence-based operation) is an armed clash of its own,
 * but only where the sentence gives it a casualty figure: an operation "being conducted" is no event.
 * `bombed` is resolved by its actor too: state forces that bomb carry out an airstrike, a non-state
 * group a bombing (militant attack).
 */
export type TriggerType = Exclude<IncidentType, 'other'> | 'attack' | 'operation' | 'bombed';
export type AccordKind = 'ceasefire_agreed' | 'talks_held' | 'talks_collapsed';

export type Trigger<T> = { type: T; start: number; end: number; text: string };

const POSTS = '(?:border\\s+)?(?:posts?|check\\s?posts?|positions|outposts?)';
const POST_OWNER =
  '(?:(?:several|multiple|two|three|four|\\d+|a|the)\\s+)?(?:(?:Pakistani|Afghan|Taliban|military|security|border|forward)\\s+){0,3}';

const INCIDENT_TRIGGERS: [TriggerType, string][] = [
  [
    'drone_strike',
    'drone[- ](?:strikes?|attacks?)|(?:struck|attacked|hit|targeted)\\s+by\\s+(?:an?\\s+)?(?:armed\\s+)?drones?|drones?\\s+(?:struck|hit|targeted|attacked|dropped)|(?:UAV|quadcopter)\\s+(?:strikes?|attacks?)',
  ],
  [
    'airstrike',
    'air[- ]?strikes?|air[- ]raids?|aerial\\s+(?:strikes?|bombardment|bombing|attacks?)|(?:jets|warplanes|aircraft)\\s+(?:had\\s+|have\\s+)?(?:struck|bombed|pounded|targeted|hit)|(?:launched|carried\\s+out|conducted|precision|retaliatory|cross-border)\\s+strikes|strikes\\s+(?:on|in|inside|against|targeting)|strikes\\s+(?:also\\s+|had\\s+|have\\s+)?(?:hit|struck|targeted|pounded)',
  ],
  [
    'shelling',
    'shelling|shelled|mortar\\s+(?:shells?|fire|rounds|attacks?)|mortars|artillery\\s+(?:fire|shells?|barrages?|strikes?)|rockets?\\s+(?:were\\s+)?(?:fired|landed|hit|struck)|fired\\s+rockets|shells?\\s+(?:had\\s+)?(?:landed|hit|fell|struck)',
  ],
  [
    'armed_clash',
    `clash(?:es|ed)?|exchange[sd]?\\s+(?:of\\s+)?(?:heavy\\s+|intense\\s+)?(?:gun)?fire|fire\\s?fights?|gun\\s?fights?|gun\\s?battles?|fighting\\s+(?:erupted|broke\\s+out)|heavy\\s+fighting|(?:attack(?:s|ed)?|assault(?:s|ed)?|raid(?:s|ed)?|stormed|overran|captured|seized|destroyed)\\s+(?:on\\s+)?${POST_OWNER}${POSTS}|retaliatory\\s+(?:operations|attacks?|fire)|cross-border\\s+(?:fire|firing)|opened\\s+fire\\s+(?:on|at)|unprovoked\\s+firing|ground\\s+(?:assault|offensive)`,
  ],
  [
    'militant_attack',
    'suicide\\s+(?:bomb(?:ing|ers?)?|attacks?|blasts?|attackers?)|(?:roadside|car|truck|motorcycle)\\s+bomb(?:ing)?|improvised\\s+explosive\\s+device|IED\\s+(?:blast|attack|explosion)|bombings?|blast|explosion|ambush(?:ed)?|terror(?:ist)?\\s+attacks?|militant\\s+attacks?|(?:militants|terrorists|gunmen|insurgents|khawarij|attackers)\\s+(?:attacked|stormed|raided|ambushed|opened\\s+fire)',
  ],
  [
    'crossing_closure',
    '(?:closed|shut|sealed)\\s+(?:down\\s+)?(?:the\\s+)?|(?:crossings?|borders?|gates?|terminals?)\\s+(?:was\\s+|were\\s+|remained\\s+|remains\\s+|has\\s+been\\s+|have\\s+been\\s+|stayed\\s+)?(?:closed|shut|sealed)|closure\\s+of|suspended\\s+(?:all\\s+)?(?:trade|traffic|movement|crossings)',
  ],
  [
    'crossing_reopening',
    're-?open(?:ed|ing|s)?|resumed\\s+(?:trade|traffic|movement|crossings)|(?:trade|traffic|movement)\\s+resumed',
  ],
  ['attack', '(?:an|the|a\\s+deadly)\\s+attack\\s+(?:on|in|at|near|against)|attacked'],
  ['bombed', 'bombed'],
  [
    'operation',
    '(?:follow-up|clearance|search|sanitisation|sanitization|intelligence[- ]based|counter-?terrorism|combing|mop-up|security|military|ground)\\s+operations?',
  ],
];

const ACCORD_TRIGGERS: [AccordKind, string][] = [
  [
    'ceasefire_agreed',
    '(?:agreed|agreeing|agree)\\s+(?:to|on|upon)\\s+(?:an?\\s+|the\\s+)?(?:immediate\\s+|temporary\\s+|\\d+-hour\\s+|permanent\\s+|lasting\\s+)*(?:ceasefire|cease-fire|truce)|(?:ceasefire|cease-fire|truce)\\s+(?:was\\s+|has\\s+been\\s+)?(?:agreed|announced|reached|brokered|signed)|(?:announced|reached|brokered|signed)\\s+(?:an?\\s+|the\\s+)?(?:immediate\\s+|temporary\\s+|\\d+-hour\\s+)*(?:ceasefire|cease-fire|truce)',
  ],
  [
    'talks_collapsed',
    '(?:talks|negotiations)\\b[^.;]{0,60}?\\b(?:collapsed|failed|broke\\s+down|ended\\s+(?:on\\s+\\w+\\s+)?without\\s+(?:an?\\s+)?(?:agreement|deal|breakthrough)|ended\\s+in\\s+deadlock)|(?:breakdown|collapse|failure)\\s+of\\s+(?:the\\s+)?(?:peace\\s+)?(?:talks|negotiations)',
  ],
  [
    'talks_held',
    '(?:held|holding|began|resumed|opened|concluded|attended)\\s+(?:a\\s+|the\\s+)?(?:(?:second|third|new|fresh|first|another)\\s+)?(?:round\\s+of\\s+)?(?:talks|negotiations)|(?:talks|negotiations)\\s+(?:were\\s+held|began|opened|resumed|got\\s+under\\s+way)|delegations\\s+met|round\\s+of\\s+talks|(?:during|at)\\s+the\\s+\\w+\\s+talks',
  ],
];

/** Words one of which a trigger of the type must contain: a cheap test before the regex runs. */
const CUES: Partial<Record<TriggerType | AccordKind, string[]>> = {
  operation: ['operation'],
  bombed: ['bombed'],
  talks_collapsed: ['talks', 'negotiations'],
  talks_held: ['talks', 'negotiations', 'delegations'],
  ceasefire_agreed: ['ceasefire', 'cease-fire', 'truce'],
};
const compile = <T extends string>(list: [T, string][]) =>
  list.map(([type, source]) => ({
    type,
    re: new RegExp(`\\b(?:${source})`, 'gi'),
    cues: CUES[type as TriggerType | AccordKind],
  }));
const INCIDENT_RES = compile(INCIDENT_TRIGGERS);
const ACCORD_RES = compile(ACCORD_TRIGGERS);

function scan<T>(text: string, list: { type: T; re: RegExp; cues: string[] | undefined }[]): Trigger<T>[] {
  const hits: Trigger<T>[] = [];
  const lower = text.toLowerCase();
  for (const { type, re, cues } of list) {
    if (cues && !cues.some((c) => lower.includes(c))) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      hits.push({ type, start: m.index, end: m.index + m[0].length, text: m[0].trim() });
    }
  }
  // Earlier list entries are more specific: a "drone strike" is not also an "airstrike".
  hits.sort((a, b) => a.start - b.start);
  const out: Trigger<T>[] = [];
  for (const hit of hits) {
    if (out.some((o) => hit.start < o.end && o.start < hit.end)) continue;
    out.push(hit);
  }
  return out;
}

export function findIncidentTriggers(text: string): Trigger<TriggerType>[] {
  return scan(text, INCIDENT_RES);
}

export function findAccordTriggers(text: string): Trigger<AccordKind>[] {
  return scan(text, ACCORD_RES);
}

/** Words before a trigger (same clause) that make it a possibility, a threat or a denial rather than an event. */
export const HYPOTHETICAL =
  /\b(?:would|could|might|may|if|unless|threat(?:en(?:s|ed)?)?|warn(?:s|ed|ing)?|vow(?:s|ed)?|plan(?:s|ned)?|risk(?:s|ed)?|must|should|rather\s+than|avoid|prevent|den(?:y|ies|ied)|without|no\s+(?:new\s+)?|never|fear(?:s|ed)?|possible|potential)\b[^.;]*$/i;

/**
 * Words before a trigger (same clause) that deny the event happened ("denied that any strike took
 * place", "dismissed reports of shelling"): the trigger is kept as a claim with happened = false.
 * A denial of one's own part ("denied carrying out", "denied that its forces fired") is not a denial
 * that the event happened, and stays a dropped trigger (HYPOTHETICAL).
 */
export const DENIAL =
  /\b(?:den(?:y|ies|ied|ying)|rejected|rejects|dismissed|dismisses|refuted)\s+(?!(?:any\s+)?(?:carrying|conducting|launching|firing|involvement|responsibility|role|hand|targeting|being\s+behind|that\s+(?:it|its|they|their|his|her|our|we)\b))[^.;]*$/i;

/** Triggers in statistics and commentary ("a wave of deadly attacks", "hundreds of strikes"). */
export const GENERIC =
  /\b(?:wave|series|spate|cycle|string|surge|years|decades|history)\s+of\s+[^.;]{0,30}$|\b(?:hundreds|thousands|dozens)\s+of\s+[^.;]{0,20}$/i;

/** Adjectives that make a plural trigger a category rather than an event ("recent attacks", "unilateral strikes"). */
export const GENERIC_PLURAL =
  /\b(?:recent|frequent|repeated|escalating|such|unilateral|future|further|cross-border|high-profile|deadly|militant|terrorist)\s+$/i;

/** A definite reference back to an event told elsewhere ("after the clashes", "during the intense exchange of fire"). */
export const ANAPHORA =
  /\b(?:[Aa]fter|[Ff]ollowing|[Ss]ince|[Bb]efore|[Dd]uring|[Aa]mid|[Oo]ver|[Dd]espite)\s+(?:the|these|those|last\s+\w+(?:'s|’s))\s+(?:[a-z-]+\s+){0,2}$/;

/** Type families for matching: the press calls one exchange "shelling" and "clashes" alike. */
export const TYPE_FAMILY: Record<IncidentType, string> = {
  airstrike: 'air',
  drone_strike: 'air',
  shelling: 'ground',
  armed_clash: 'ground',
  militant_attack: 'militant',
  crossing_closure: 'crossing_closure',
  crossing_reopening: 'crossing_reopening',
  other: 'other',
};
