/**
 * Who sees what, for every read route × role × TLP level. The expected visibility is derived
 * from the codebook's sharing rules written out below, independently of src/access/policy.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/access/viewer.ts';
import { buildServer } from '../src/api/server.ts';
import type { Tlp } from '../src/domain/tlp.ts';
import type { Instance } from '../src/instance.ts';
import { addClaim, storeDocument } from '../src/record/claim.ts';
import { createIncident } from '../src/record/incident.ts';
import { createSource } from '../src/record/reference.ts';
import { buildClaim, buildIncident, killed, seedParties } from './support/factories.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

const NAMED = 'usr_named_person';
const VIEWERS: Record<string, Viewer> = {
  public: { role: 'public', userId: null, partyId: null },
  'delegate PK': { role: 'delegate', userId: 'usr_pk', partyId: 'PK' },
  'delegate AF': { role: 'delegate', userId: 'usr_af', partyId: 'AF' },
  analyst: { role: 'analyst', userId: 'usr_analyst', partyId: null },
  monitor: { role: 'monitor', userId: 'usr_monitor', partyId: null },
  admin: { role: 'admin', userId: 'usr_admin', partyId: null },
  'named monitor': { role: 'monitor', userId: NAMED, partyId: null },
};

/** The records under test: one per level, with the recipients the codebook's level implies. */
const LEVELS: { tlp: Tlp; recipients: string[] }[] = [
  { tlp: 'CLEAR', recipients: [] },
  { tlp: 'GREEN', recipients: [] },
  { tlp: 'AMBER', recipients: ['PK'] },
  { tlp: 'AMBER+STRICT', recipients: ['AF'] },
  { tlp: 'RED', recipients: [NAMED] },
];

/** CODEBOOK § Sharing, restated. */
function shouldSee(viewer: Viewer, level: { tlp: Tlp; recipients: string[] }): boolean {
  const mechanism = ['admin', 'monitor', 'analyst'].includes(viewer.role);
  const registered = viewer.role !== 'public';
  const listedParty = viewer.partyId !== null && level.recipients.includes(viewer.partyId);
  const named = viewer.userId !== null && level.recipients.includes(viewer.userId);
  return {
    CLEAR: true,
    GREEN: registered,
    AMBER: mechanism || listedParty,
    'AMBER+STRICT': mechanism || listedParty,
    RED: named,
  }[level.tlp];
}

describe('access matrix: route × role × TLP level', () => {
  let instance: Instance;
  const apps: Record<string, FastifyInstance> = {};
  const incidents: Record<string, { id: string; seq: number }> = {};
  const documents: Record<string, string> = {};
  const claims: Record<string, string> = {};
  let mixed: string;
  let checks = 0;

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedParties(instance.store);
    await createSource(instance.store, 'm', {
      id: 'informant',
      name: 'Informant 7',
      kind: 'monitor',
      protected: true,
    });
    for (const level of LEVELS) {
      const incident = await createIncident(
        instance.store,
        'm',
        buildIncident({ title: `incident ${level.tlp}`, occurredOn: '2025-10-14', ...level }),
      );
      incidents[level.tlp] = { id: incident.id, seq: incident.ledger_seq };
      const { document } = await storeDocument(instance.store, 'm', {
        body: `Field report at ${level.tlp}.`,
        ...level,
      });
      documents[level.tlp] = document.id;
    }
    // One CLEAR incident carrying a claim at every level, each with its own figure.
    const host = await createIncident(
      instance.store,
      'm',
      buildIncident({ title: 'mixed claims', occurredOn: '2025-10-15' }),
    );
    mixed = host.id;
    for (const [i, level] of LEVELS.entries()) {
      const { claim } = await addClaim(
        instance.store,
        'm',
        buildClaim(mixed, {
          sourceId: i === 0 ? 'informant' : 'reuters',
          publishedAt: `2025-10-15T0${i}:00:00Z`,
          quote: `claim at ${level.tlp}`,
          figures: [killed('PK', 10 * (i + 1), 'civilian')],
          ...level,
        }),
      );
      claims[level.tlp] = claim.id;
    }
    for (const [name, viewer] of Object.entries(VIEWERS))
      apps[name] = await buildServer({ instance, trustedViewer: () => viewer });
  });
  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
    await closeTestInstance(instance);
    console.log(`access matrix: ${checks} route × role × level checks`);
  });

  for (const [name, viewer] of Object.entries(VIEWERS)) {
    it(`${name} sees exactly what the codebook allows`, async () => {
      const app = apps[name]!;
      const list = (await app.inject('/incidents?from=2025-10-14&to=2025-10-14&limit=100')).json();
      const exported = (await app.inject('/export?format=json&from=2025-10-14&to=2025-10-14')).json();
      for (const level of LEVELS) {
        const expected = shouldSee(viewer, level);
        const { id, seq } = incidents[level.tlp]!;
        const listed = list.incidents.some((i: { id: string }) => i.id === id);
        expect(listed, `GET /incidents ${level.tlp}`).toBe(expected);
        expect((await app.inject(`/incidents/${id}`)).statusCode, `GET /incidents/:id ${level.tlp}`).toBe(
          expected ? 200 : 404,
        );
        expect(
          exported.incidents.some((i: { id: string }) => i.id === id),
          `GET /export ${level.tlp}`,
        ).toBe(expected);
        expect(
          (await app.inject(`/ledger/entries/${seq}`)).json().visible,
          `GET /ledger/entries ${level.tlp}`,
        ).toBe(expected);
        expect(
          (await app.inject(`/documents/${documents[level.tlp]}`)).statusCode,
          `GET /documents/:id ${level.tlp}`,
        ).toBe(expected ? 200 : 404);
        checks += 5;
      }
      // Counts never reveal what lists hide.
      expect(list.total).toBe(LEVELS.filter((l) => shouldSee(viewer, l)).length);
      checks += 1;

      // Claims on a CLEAR incident, one per level, and the figures derived from them.
      const record = (await app.inject(`/incidents/${mixed}`)).json();
      const shown = new Set(record.claims.map((c: { id: string }) => c.id));
      let expectedHigh = 0;
      for (const [i, level] of LEVELS.entries()) {
        const expected = shouldSee(viewer, level);
        expect(shown.has(claims[level.tlp]), `claim ${level.tlp}`).toBe(expected);
        if (expected) expectedHigh = Math.max(expectedHigh, 10 * (i + 1));
        checks += 1;
      }
      expect(record.fatalities.totals.civilian.high, 'figures derived only from visible claims').toBe(
        expectedHigh,
      );
      const listedMixed = (await app.inject('/incidents?from=2025-10-15&to=2025-10-15')).json().incidents[0];
      expect(listedMixed.fatalities.totals.civilian.high).toBe(expectedHigh);
      // CODEBOOK: a protected source's identity is withheld outside the mechanism, its claim stays visible.
      const informant = record.claims.find((c: { id: string }) => c.id === claims.CLEAR);
      const mechanism = ['admin', 'monitor', 'analyst'].includes(viewer.role);
      expect(informant.source === null).toBe(!mechanism);
      expect(informant.sourceId).toBe(mechanism ? 'informant' : 'withheld');
      const sources = (await app.inject('/sources')).json().map((s: { id: string }) => s.id);
      expect(sources.includes('informant')).toBe(mechanism);
      checks += 4;
    });
  }

  it('logs reads of RED and AMBER+STRICT records', async () => {
    await apps['named monitor']!.inject(`/incidents/${incidents.RED!.id}`);
    const rows = await instance.store.db
      .selectFrom('access_log')
      .selectAll()
      .where('action', '=', 'read_sensitive')
      .execute();
    expect(rows.some((r) => r.user_id === NAMED && r.subject?.includes(incidents.RED!.id))).toBe(true);
    expect(rows.some((r) => r.subject?.includes(incidents['AMBER+STRICT']!.id))).toBe(true);
  });
});
