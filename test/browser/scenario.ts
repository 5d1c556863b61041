/**
 * The console's test scenario: the demo, accounts for each role, a RED incident, an incident whose
 * title is an HTML injection attempt, and optional synthetic incidents (labelled as such) so the map
 * has clusters. Starts the real server on a free port.
 */
import type { FastifyInstance } from 'fastify';
import { createAccount } from '../../src/access/accounts.ts';
import { buildServer } from '../../src/api/server.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { INCIDENT_TYPES } from '../../src/domain/incident.ts';
import { loadGazetteer } from '../../src/gazetteer/gazetteer.ts';
import type { Instance } from '../../src/instance.ts';
import { addClaim, insertClaim, storeDocument } from '../../src/record/claim.ts';
import { createIncident, insertIncident } from '../../src/record/incident.ts';
import { recordTransaction } from '../../src/record/transaction.ts';
import { closeTestInstance, openTestInstance } from '../support/instance.ts';

export const PASSWORD = 'correct horse battery staple';
export const XSS_TITLE = '<img src=x onerror=alert(1)>';
/** A synthetic report in Pashto (right to left): title, document and the sentence a claim quotes. */
export const PASHTO = {
  title: 'په تورخم کې د سرحدي پوستو ترمنځ ډزې',
  quote: 'د طالبانو ویاند وویل چې په تورخم کې د سرحدي پوستو ترمنځ ډزې وشوې.',
  body: 'دا یوه ازمېښتي لیکنه ده.\nد طالبانو ویاند وویل چې په تورخم کې د سرحدي پوستو ترمنځ ډزې وشوې.\nنور جزئیات نه دي خپاره شوي.\n',
};

export type Scenario = {
  instance: Instance;
  app: FastifyInstance;
  url: string;
  ids: { red: string; xss: string; pashto: string };
  /** The delegate's one-time password: their first log-in must change it. */
  delegateOneTime: string;
  close(): Promise<void>;
};

/** A small deterministic generator, so every run draws the same synthetic incidents. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic incidents at gazetteer districts and crossings near the border, Oct–Dec 2025. */
export async function seedSynthetic(instance: Instance, count: number, seed = 7): Promise<void> {
  const next = random(seed);
  const places = loadGazetteer()
    .all()
    .filter(
      (p) =>
        (p.kind === 'district' || p.kind === 'crossing' || p.kind === 'town') && p.lon > 66 && p.lon < 74.5,
    );
  const types = INCIDENT_TYPES.filter((t) => t !== 'other');
  const tlps = ['CLEAR', 'CLEAR', 'CLEAR', 'GREEN', 'GREEN', 'AMBER'] as const;
  await recordTransaction(instance.store, 'system', async (tx) => {
    for (let i = 0; i < count; i++) {
      const place = places[Math.floor(next() * places.length)]!;
      const type = types[Math.floor(next() * types.length)]!;
      const day = new Date(Date.UTC(2025, 9, 1) + Math.floor(next() * 80) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const tlp = tlps[Math.floor(next() * tlps.length)]!;
      const incident = await insertIncident(tx, {
        type,
        title: `Synthetic test incident ${i + 1}: ${type.replace('_', ' ')} near ${place.name}`,
        occurredOn: day,
        placeId: place.id,
        actorId: next() < 0.5 ? 'PK.military' : 'AF.forces',
        tlp,
        recipients: tlp === 'AMBER' ? ['PK'] : [],
      });
      if (next() < 0.6)
        await insertClaim(tx, {
          incidentId: incident.id,
          sourceId: 'reuters',
          publishedAt: `${day}T12:00:00Z`,
          quote: `Synthetic report ${i + 1}.`,
          figures: [
            {
              measure: 'fatalities',
              category: next() < 0.5 ? 'civilian' : 'military',
              side: next() < 0.5 ? 'PK' : 'AF',
              value: Math.floor(next() ** 3 * 60),
              qualifier: 'exact',
            },
          ],
          credibility: 3,
          tlp: 'CLEAR',
        });
    }
  });
}

export async function startScenario(
  options: { synthetic?: number; webRoot?: string } = {},
): Promise<Scenario> {
  const instance = await openTestInstance();
  await seedDemo(instance);
  if (options.synthetic) await seedSynthetic(instance, options.synthetic);
  const store = instance.store;
  await createAccount(store, 'system', { username: 'mona', role: 'monitor' }, PASSWORD);
  const { user: named } = await createAccount(
    store,
    'system',
    { username: 'nadia', role: 'monitor' },
    PASSWORD,
  );
  const { password: delegateOneTime } = await createAccount(store, 'system', {
    username: 'pk-delegate',
    role: 'delegate',
    partyId: 'PK',
  });
  const red = await createIncident(store, 'system', {
    type: 'armed_clash',
    title: 'Named-only field report: exchange of fire near Angoor Adda',
    occurredOn: '2025-10-20',
    placeId: 'xing-angoor-adda',
    actorId: 'AF.forces',
    tlp: 'RED',
    recipients: [named.id],
  });
  const xss = await createIncident(store, 'system', {
    type: 'other',
    title: XSS_TITLE,
    occurredOn: '2025-10-21',
    placeId: 'xing-torkham',
    tlp: 'CLEAR',
  });
  const { document } = await storeDocument(store, 'system', {
    title: 'Synthetic test document in Pashto',
    body: PASHTO.body,
    tlp: 'CLEAR',
  });
  const pashto = await createIncident(store, 'system', {
    type: 'armed_clash',
    title: PASHTO.title,
    occurredOn: '2025-10-22',
    placeId: 'xing-torkham',
    actorId: 'AF.forces',
    tlp: 'CLEAR',
  });
  await addClaim(store, 'system', {
    incidentId: pashto.id,
    sourceId: 'mujahid',
    documentId: document.id,
    publishedAt: '2025-10-22',
    quote: PASHTO.quote,
    credibility: 3,
    tlp: 'CLEAR',
  });
  const app = await buildServer({ instance, ...(options.webRoot ? { webRoot: options.webRoot } : {}) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    instance,
    app,
    url: address,
    ids: { red: red.id, xss: xss.id, pashto: pashto.id },
    delegateOneTime,
    async close() {
      await app.close();
      await closeTestInstance(instance);
    },
  };
}
