import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { PUBLIC } from '../access/viewer.ts';
import type { Instance } from '../instance.ts';
import { currentTree } from '../ledger/log.ts';
import { leafHash } from '../ledger/merkle.ts';
import { verifyConsistency, verifyInclusion } from '../ledger/proofs.ts';
import { verifyTreeHead } from '../ledger/treeHead.ts';
import { buildServer } from './server.ts';

const OPERATOR = { role: 'monitor', userId: 'operator', partyId: null } as const;

describe('HTTP API', () => {
  let instance: Instance;
  let app: FastifyInstance;
  let asPublic: FastifyInstance;
  beforeAll(async () => {
    instance = await openTestInstance();
    await seedParties(instance.store);
    app = await buildServer({ instance, trustedViewer: () => OPERATOR });
    asPublic = await buildServer({ instance, trustedViewer: () => PUBLIC });
  });
  afterAll(async () => {
    await app.close();
    await asPublic.close();
    await closeTestInstance(instance);
  });

  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as object });
  const ledgerSize = async () => (await currentTree(instance.store.db)).size;

  it('serves an OpenAPI document listing the routes', async () => {
    const response = await app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/incidents',
        '/incidents/{id}',
        '/claims',
        '/ledger/head',
        '/ledger/proof/inclusion',
      ]),
    );
  });

  it('creates an incident and a claim, and reads them back with reconciled figures', async () => {
    const created = await post(
      '/incidents',
      buildIncident({
        title: 'Shelling near Angoor Adda',
        type: 'shelling',
        actorId: 'PK.military',
        targetId: 'AF.forces',
      }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const claim = await post(`/incidents/${id}/claims`, {
      sourceId: 'mujahid',
      publishedAt: '2025-10-12T09:00:00Z',
      quote: 'Two of our mujahideen were martyred.',
      figures: [killed('AF', 2)],
    });
    expect(claim.statusCode).toBe(201);
    const read = (await app.inject(`/incidents/${id}`)).json();
    expect(read.claims).toHaveLength(1);
    expect(read.claims[0].source).toMatchObject({ id: 'mujahid', affiliation: 'AF' });
    expect(read.fatalities.totals.military).toEqual({ low: 2, best: 2, high: 2 });
  });

  it('answers 400 naming the field, 404 for unknown ids, and writes nothing', async () => {
    const before = await ledgerSize();
    const bad = await post('/incidents', { ...buildIncident(), occurredOn: '12/10/2025' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_input', field: 'occurredOn' });
    const missingActor = await post('/incidents', buildIncident({ actorId: 'nobody' }));
    expect(missingActor.statusCode).toBe(404);
    expect(missingActor.json().error.field).toBe('actorId');
    const badFigure = await post('/claims', {
      incidentId: 'inc_nope',
      sourceId: 'ispr',
      publishedAt: '2025-10-12',
      quote: 'x',
      figures: [{ measure: 'fatalities' }],
    });
    expect(badFigure.statusCode).toBe(400);
    expect(badFigure.json().error.field).toMatch(/^figures\[0\]\./);
    expect((await app.inject('/incidents/inc_nope')).statusCode).toBe(404);
    expect((await app.inject('/no/such/route')).statusCode).toBe(404);
    const notJson = await app.inject({
      method: 'POST',
      url: '/incidents',
      payload: '{"type":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.body).not.toMatch(/at .*\.ts:\d+/);
    expect(await ledgerSize()).toBe(before);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const before = await ledgerSize();
    const response = await post('/incidents', { ...buildIncident(), title: 'x'.repeat(1024 * 1024 + 10) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('too_large');
    expect(await ledgerSize()).toBe(before);
  });

  it('filters incidents by time, bbox, type, actor and status, and pages with a cursor', async () => {
    const make = (over: Parameters<typeof buildIncident>[0]) => post('/incidents', buildIncident(over));
    await make({
      title: 'filter-a',
      occurredOn: '2024-03-01',
      type: 'drone_strike',
      lat: 32.3,
      lon: 69.5,
      actorId: 'PK.military',
    });
    await make({
      title: 'filter-b',
      occurredOn: '2024-03-02',
      type: 'shelling',
      lat: 34.0,
      lon: 71.1,
      actorId: 'AF.forces',
    });
    await make({
      title: 'filter-c',
      occurredOn: '2024-03-03',
      type: 'drone_strike',
      lat: 30.9,
      lon: 66.4,
      actorId: 'PK.military',
    });
    const titles = async (query: string) =>
      (
        (await app.inject(`/incidents?from=2024-03-01&to=2024-03-31&${query}`)).json().incidents as {
          title: string;
        }[]
      ).map((i) => i.title);
    expect(await titles('')).toEqual(['filter-c', 'filter-b', 'filter-a']);
    expect(await titles('type=drone_strike')).toEqual(['filter-c', 'filter-a']);
    expect(await titles('actor=AF.forces')).toEqual(['filter-b']);
    expect(await titles('bbox=69,31,72,35')).toEqual(['filter-b', 'filter-a']);
    expect(await titles('status=verified')).toEqual([]);
    const first = (await app.inject('/incidents?from=2024-03-01&to=2024-03-31&limit=2')).json();
    expect(first.total).toBe(3);
    expect(first.incidents).toHaveLength(2);
    const second = (
      await app.inject(`/incidents?from=2024-03-01&to=2024-03-31&limit=2&after=${first.next}`)
    ).json();
    expect(second.incidents.map((i: { title: string }) => i.title)).toEqual(['filter-a']);
    expect(second.next).toBeNull();
    const badBox = await app.inject('/incidents?bbox=1,2,3');
    expect(badBox.statusCode).toBe(400);
    expect(badBox.json().error.field).toBe('bbox');
    const badType = await app.inject('/incidents?type=massacre');
    expect(badType.json().error.field).toBe('type[0]');
  });

  it('records status changes, retaliation links and merges through the write path', async () => {
    const a = (
      await post(
        '/incidents',
        buildIncident({ occurredOn: '2025-10-09', type: 'airstrike', actorId: 'PK.military' }),
      )
    ).json();
    const b = (await post('/incidents', buildIncident({ occurredOn: '2025-10-11' }))).json();
    const c = (await post('/incidents', buildIncident({ occurredOn: '2025-10-11' }))).json();
    const status = await post(`/incidents/${a.id}/status`, {
      to: 'disputed',
      reason: 'Kabul denies any strike',
    });
    expect(status.statusCode).toBe(200);
    expect(status.json().incident.status).toBe('disputed');
    expect(
      (await post(`/incidents/${a.id}/status`, { to: 'verified', reason: 'x' })).json().error.field,
    ).toBe('evidence');
    const link = await post(`/incidents/${b.id}/retaliation`, {
      answersId: a.id,
      basis: 'source',
      reason: 'called it retaliation',
    });
    expect(link.statusCode).toBe(201);
    const merge = await post(`/incidents/${b.id}/merge`, {
      mergedId: c.id,
      reason: 'same night, same posts',
    });
    expect(merge.statusCode).toBe(200);
    const read = (await app.inject(`/incidents/${b.id}`)).json();
    expect(read.answers[0].answersId).toBe(a.id);
    expect(read.merged.map((m: { id: string }) => m.id)).toEqual([c.id]);
    const history = (await app.inject(`/incidents/${a.id}`)).json().statusHistory;
    expect(history.at(-1)).toMatchObject({
      fromStatus: 'reported',
      toStatus: 'disputed',
      changedBy: 'operator',
    });
  });

  it('publishes a signed head whose inclusion and consistency proofs verify', async () => {
    const publicKey = (await app.inject('/ledger/public-key')).body;
    const first = (await app.inject('/ledger/head')).json();
    expect(verifyTreeHead(publicKey, first)).toBe(true);
    await post('/incidents', buildIncident({ title: 'after the first head' }));
    const second = (await app.inject('/ledger/head')).json();
    expect(second.treeSize).toBe(first.treeSize + 1);
    expect(verifyTreeHead(publicKey, second)).toBe(true);

    const seq = second.treeSize - 1;
    const entry = (await app.inject(`/ledger/entries/${seq}`)).json();
    expect(entry.visible).toBe(true);
    expect(leafHash(Buffer.from(entry.body, 'utf8')).toString('hex')).toBe(entry.leafHash);
    const inclusion = (
      await app.inject(`/ledger/proof/inclusion?seq=${seq}&treeSize=${second.treeSize}`)
    ).json();
    const hex = (h: string) => Buffer.from(h, 'hex');
    expect(
      verifyInclusion(
        hex(entry.leafHash),
        seq,
        second.treeSize,
        inclusion.proof.map(hex),
        hex(second.rootHash),
      ),
    ).toBe(true);
    const consistency = (
      await app.inject(`/ledger/proof/consistency?oldSize=${first.treeSize}&newSize=${second.treeSize}`)
    ).json();
    expect(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        hex(first.rootHash),
        hex(second.rootHash),
        consistency.proof.map(hex),
      ),
    ).toBe(true);
    expect(
      (await app.inject(`/ledger/proof/inclusion?seq=${second.treeSize}&treeSize=${second.treeSize}`))
        .statusCode,
    ).toBe(400);
  });

  it('shows the public only CLEAR records, and proves hidden entries by hash alone', async () => {
    const hidden = (
      await post(
        '/incidents',
        buildIncident({ title: 'Sensitive field report', tlp: 'AMBER', recipients: ['PK'] }),
      )
    ).json();
    const publicList = (await asPublic.inject('/incidents?limit=1000')).json();
    expect(publicList.incidents.map((i: { id: string }) => i.id)).not.toContain(hidden.id);
    expect(publicList.total).toBe(publicList.incidents.length);
    expect((await asPublic.inject(`/incidents/${hidden.id}`)).statusCode).toBe(404);
    const entry = (await asPublic.inject(`/ledger/entries/${hidden.ledgerSeq}`)).json();
    expect(entry).toEqual({
      seq: hidden.ledgerSeq,
      leafHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      visible: false,
    });
  });

  it('exports what the viewer may see as JSON with the signed head', async () => {
    const response = await app.inject('/export?format=json&from=2024-03-01&to=2024-03-31');
    expect(response.statusCode).toBe(200);
    const data = response.json();
    expect(data.format).toBe('truce-export-v1');
    expect(data.incidents.map((i: { title: string }) => i.title)).toEqual([
      'filter-c',
      'filter-b',
      'filter-a',
    ]);
    expect(data.ledger.treeSize).toBeGreaterThan(0);
  });
});
