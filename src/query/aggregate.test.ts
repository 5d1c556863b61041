import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { ENGINES } from '../../test/support/store.ts';
import type { Viewer } from '../access/viewer.ts';
import { buildServer } from '../api/server.ts';
import type { Instance } from '../instance.ts';
import { addClaim } from '../record/claim.ts';
import { createIncident } from '../record/incident.ts';

const NAMED: Viewer = { role: 'monitor', userId: 'usr_named', partyId: null };
const PUBLIC: Viewer = { role: 'public', userId: null, partyId: null };
const DELEGATE_AF: Viewer = { role: 'delegate', userId: 'usr_af', partyId: 'AF' };

type Cluster = {
  count: number;
  best: number;
  types: Record<string, number>;
  incident: { id: string } | null;
};

describe.each(ENGINES)('situation aggregates (%s)', (engine) => {
  let instance: Instance;
  const apps: Record<string, FastifyInstance> = {};
  let secret: string;
  let mixed: string;
  let farAway: string;

  beforeAll(async () => {
    instance = await openTestInstance(engine);
    await seedParties(instance.store);
    const store = instance.store;
    // Ten shelling incidents around one point, two airstrikes elsewhere, one AF clash.
    for (let i = 0; i < 10; i++)
      await createIncident(
        store,
        'm',
        buildIncident({ type: 'shelling', lat: 34 + i * 0.01, lon: 71 + i * 0.01, actorId: 'PK.military' }),
      );
    for (const day of ['2025-10-01', '2025-10-03'])
      await createIncident(
        store,
        'm',
        buildIncident({ type: 'airstrike', occurredOn: day, lat: 32.5, lon: 68.1, actorId: 'PK.military' }),
      );
    await createIncident(store, 'm', buildIncident({ lat: 31, lon: 66.4, actorId: 'AF.forces' }));
    secret = (
      await createIncident(
        store,
        'm',
        buildIncident({ title: 'named only', lat: 35, lon: 70, tlp: 'RED', recipients: [NAMED.userId!] }),
      )
    ).id;
    mixed = (await createIncident(store, 'm', buildIncident({ title: 'mixed', lat: 29, lon: 66 }))).id;
    // A boast anyone may see, and the only independent figure on a RED claim.
    await addClaim(
      store,
      'm',
      buildClaim(mixed, { sourceId: 'hurriyat', figures: [killed(null, 4, 'civilian')] }),
    );
    await addClaim(
      store,
      'm',
      buildClaim(mixed, {
        sourceId: 'reuters',
        publishedAt: '2025-10-12T13:00:00Z',
        figures: [killed(null, 40, 'civilian')],
        tlp: 'RED',
        recipients: [NAMED.userId!],
      }),
    );
    farAway = (await createIncident(store, 'm', buildIncident({ title: 'somewhere', lat: 0, lon: 0 }))).id;
    for (const [name, viewer] of Object.entries({ named: NAMED, public: PUBLIC, af: DELEGATE_AF }))
      apps[name] = await buildServer({ instance, trustedViewer: () => viewer, webRoot: null });
  });
  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
    await closeTestInstance(instance);
  });

  const get = async (who: string, url: string) => {
    const response = await apps[who]!.inject(url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('clusters by screen cell and names the incident of a single-incident cell', async () => {
    const low = await get('named', '/aggregate/clusters?zoom=4&bbox=60,25,80,40');
    const shelling = low.clusters.find((c: Cluster) => c.types.shelling === 10) as Cluster;
    expect(shelling.count).toBe(10);
    expect(shelling.incident).toBeNull();
    expect(low.total).toBe(15);
    const high = await get('named', '/aggregate/clusters?zoom=14&bbox=60,25,80,40');
    expect(high.clusters.filter((c: Cluster) => c.count === 1).length).toBeGreaterThanOrEqual(12);
    expect(high.clusters.find((c: Cluster) => c.incident?.id === secret)).toBeTruthy();
    expect(high.total).toBe(low.total);
  });

  it('filters by type, party, status, TLP and dates', async () => {
    const airstrikes = await get('named', '/aggregate/clusters?zoom=3&type=airstrike');
    expect(airstrikes.total).toBe(2);
    const pk = await get('named', '/aggregate/clusters?zoom=3&party=PK');
    expect(pk.total).toBe(12);
    const red = await get('named', '/aggregate/clusters?zoom=3&tlp=RED,AMBER%2BSTRICT');
    expect(red.total).toBe(1);
    const daily = await get('named', '/aggregate/daily?from=2025-10-01&to=2025-10-03');
    expect(daily.days).toEqual([
      { day: '2025-10-01', counts: { airstrike: 1 } },
      { day: '2025-10-03', counts: { airstrike: 1 } },
    ]);
    const bad = await apps.named!.inject('/aggregate/clusters?zoom=3&tlp=BLUE');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('tlp[0]');
  });

  it('never counts what the viewer may not see, nor figures from claims they may not see', async () => {
    const named = await get('named', '/aggregate/clusters?zoom=14');
    const asPublic = await get('public', '/aggregate/clusters?zoom=14');
    expect(asPublic.total).toBe(named.total - 1);
    expect(asPublic.clusters.some((c: Cluster) => c.incident?.id === secret)).toBe(false);
    const bestOf = (result: { clusters: (Cluster & { incident: { id: string; best: number } | null })[] }) =>
      result.clusters.find((c) => c.incident?.id === mixed)!.incident!.best;
    expect(bestOf(named)).toBe(40);
    expect(bestOf(asPublic)).toBe(0);
    const incident = (await get('public', `/incidents/${mixed}`)).fatalities.totals.civilian;
    expect(incident).toEqual({ low: 0, best: 0, high: 4 });
    // The list agrees, and daily counts add up to the same total.
    const listed = await get('public', '/aggregate/incidents?limit=200');
    expect(listed.total).toBe(asPublic.total + asPublic.unlocated);
    expect(listed.incidents.some((i: { id: string }) => i.id === secret)).toBe(false);
    const daily = await get('public', '/aggregate/daily');
    const counted = daily.days.flatMap((d: { counts: Record<string, number> }) => Object.values(d.counts));
    expect(counted.reduce((s: number, n: number) => s + n, 0)).toBe(listed.total);
  });

  it('pages the list newest first with a cursor', async () => {
    const seen: string[] = [];
    let after = '';
    for (let guard = 0; guard < 20; guard++) {
      const page = await get('af', `/aggregate/incidents?limit=4${after ? `&after=${after}` : ''}`);
      seen.push(...page.incidents.map((i: { id: string }) => i.id));
      if (!page.next) break;
      after = page.next;
    }
    const all = await get('af', '/aggregate/incidents?limit=200');
    expect(seen).toEqual(all.incidents.map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(all.total);
    expect(seen).toContain(farAway);
  });
});

describe('console static files', () => {
  let instance: Instance;
  let app: FastifyInstance;
  beforeAll(async () => {
    instance = await openTestInstance();
    const root = mkdtempSync(join(tmpdir(), 'truce-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(
      join(root, 'assets', 'index-abc123.js'),
      `console.log(${JSON.stringify('x'.repeat(4000))});`,
    );
    app = await buildServer({ instance, webRoot: root });
  });
  afterAll(async () => {
    await app.close();
    await closeTestInstance(instance);
  });

  it('serves hashed assets with a long cache, client routes with index.html, and nothing outside the root', async () => {
    const asset = await app.inject({
      url: '/console/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers['content-security-policy']).toContain("script-src 'self'");
    const again = await app.inject({
      url: '/console/assets/index-abc123.js',
      headers: { 'if-none-match': String(asset.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    for (const route of ['/console/', '/console/incidents/inc_1', '/console/queue?x=1']) {
      const page = await app.inject(route);
      expect(page.statusCode, route).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    expect((await app.inject('/console/assets/missing.js')).statusCode).toBe(404);
    expect((await app.inject('/console/../package.json')).statusCode).not.toBe(200);
    expect((await app.inject('/console/%2e%2e/package.json')).statusCode).toBe(404);
    expect((await app.inject('/')).headers.location).toBe('/console/');
    // The API keeps its routes: /incidents is JSON, not the page.
    expect((await app.inject('/incidents')).headers['content-type']).toContain('application/json');
  });
});
