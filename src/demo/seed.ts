/** Seeds a new instance with the demo, in one transaction: all of it lands on the ledger, or none of it. */
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import type { Instance } from '../instance.ts';
import { currentTree } from '../ledger/log.ts';
import { insertClaim, insertDocument } from '../record/claim.ts';
import { insertIncident } from '../record/incident.ts';
import { insertAgreement, insertCommitment, insertCrossingStatus } from '../record/mechanism.ts';
import { insertActor, insertParty, insertPlaces, insertSource, placeRow } from '../record/reference.ts';
import { recordTransaction } from '../record/transaction.ts';
import { insertRetaliationLink } from '../record/verification.ts';
import type { Database } from '../store/schema.ts';
import {
  DEMO_ACTORS,
  DEMO_AGREEMENTS,
  DEMO_COMMITMENTS,
  DEMO_CROSSING_STATUSES,
  DEMO_DOCUMENTS,
  DEMO_INCIDENTS,
  DEMO_PARTIES,
  DEMO_SOURCES,
} from './demo.ts';

const DEMO_DIR = new URL('../../data/demo/', import.meta.url);

export async function isFreshInstance(db: Kysely<Database>): Promise<boolean> {
  return (await currentTree(db)).size === 0;
}

export type SeedSummary = { places: number; incidents: number; claims: number; documents: number };

export async function seedDemo(instance: Instance): Promise<SeedSummary> {
  const gazetteer = loadGazetteer();
  return recordTransaction(instance.store, 'system', async (tx) => {
    const places = await insertPlaces(tx, gazetteer.all().map(placeRow));
    for (const party of DEMO_PARTIES) await insertParty(tx, party);
    for (const actor of DEMO_ACTORS) await insertActor(tx, actor);
    for (const source of DEMO_SOURCES) await insertSource(tx, source);

    const documents = new Map<string, string>();
    for (const doc of DEMO_DOCUMENTS) {
      const body = readFileSync(new URL(doc.file, DEMO_DIR), 'utf8');
      const { document } = await insertDocument(tx, {
        title: doc.title,
        ...(doc.outlet ? { outlet: doc.outlet } : {}),
        publishedAt: doc.publishedAt,
        body,
        tlp: 'CLEAR',
      });
      documents.set(doc.key, document.id);
    }

    const incidents = new Map<string, string>();
    let claims = 0;
    for (const demo of DEMO_INCIDENTS) {
      const incident = await insertIncident(tx, {
        type: demo.type,
        title: demo.title,
        occurredOn: demo.occurredOn,
        datePrecision: demo.datePrecision ?? 'day',
        placeId: demo.placeId,
        actorId: demo.actorId,
        targetId: demo.targetId,
        tlp: 'CLEAR',
      });
      incidents.set(demo.key, incident.id);
      for (const claim of demo.claims) {
        await insertClaim(tx, {
          incidentId: incident.id,
          sourceId: claim.source,
          documentId: documents.get(claim.document),
          quote: claim.quote,
          publishedAt: claim.publishedAt,
          figures: claim.figures ?? [],
          asserted: claim.asserted ?? {},
          credibility: claim.credibility ?? 3,
          tlp: 'CLEAR',
        });
        claims += 1;
      }
      if (demo.answers) {
        await insertRetaliationLink(tx, {
          incidentId: incident.id,
          answersId: incidents.get(demo.answers.key),
          basis: 'source',
          reason: demo.answers.reason,
        });
      }
    }
    for (const agreement of DEMO_AGREEMENTS) await insertAgreement(tx, { ...agreement, tlp: 'CLEAR' });
    for (const status of DEMO_CROSSING_STATUSES) await insertCrossingStatus(tx, status);
    for (const commitment of DEMO_COMMITMENTS) {
      await insertCommitment(tx, {
        ...commitment,
        evidence: commitment.evidence.map((e) => ({ kind: e.kind, ref: documents.get(e.ref) ?? e.ref })),
        tlp: 'CLEAR',
      });
    }
    return { places, incidents: incidents.size, claims, documents: documents.size };
  });
}
