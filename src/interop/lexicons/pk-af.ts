/**
 * The interop lexicon of the 2025 Pakistan–Afghanistan case: the names ACLED and UCDP give the
 * case's actors, mapped to the demo's actor ids (src/demo/demo.ts). A rule whose actor is not in
 * the database is passed over, and the name becomes an actor of its own.
 *
 * Why each rule:
 *   - ACLED names state forces "Military Forces of Pakistan (2018-)", "Police Forces of Pakistan
 *     (2018-)": the bracket is the government's term, not another party, so every era is PK.
 *   - Afghanistan's forces are the Taliban authorities' (AF) only from ACLED's "(2021-)" era; the
 *     Republic's forces before it are another actor. UCDP keeps "Government of Afghanistan" across
 *     the change, so that rule starts on 15 August 2021.
 *   - TTP and Islamic State Khorasan as both datasets spell them; "Civilians (Pakistan)" etc.
 */
import { PK_AF_LEXICON } from '../../ingest/lexicons/pk-af.ts';
import type { InteropLexicon } from '../lexicon.ts';

export const PK_AF_INTEROP: InteropLexicon = {
  actors: [
    { pattern: '(?:Military|Police) Forces of Pakistan\\b', actorId: 'PK.military' },
    { pattern: 'Government of Pakistan$', actorId: 'PK.military' },
    { pattern: '(?:Military|Police) Forces of Afghanistan \\(2021-\\)', actorId: 'AF.forces' },
    { pattern: 'Government of Afghanistan$', actorId: 'AF.forces', from: '2021-08-15' },
    { pattern: '(?:TTP\\b|Tehr[ie]e?k-[ie]-Taliban Pakistan)', actorId: 'TTP' },
    {
      pattern: '(?:Islamic State (?:\\((?:Afghanistan|Pakistan)\\)|Khorasan)|ISKP\\b|IS-K\\b|IS Khorasan)',
      actorId: 'ISKP',
    },
    { pattern: 'Civilians\\b', actorId: 'civilians' },
  ],
  sources: PK_AF_LEXICON.sources,
};
