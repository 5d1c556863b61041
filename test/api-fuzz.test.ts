/** Property test: arbitrary JSON bodies and query strings on the write and read routes never produce a 5xx. */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.ts';
import type { Instance } from '../src/instance.ts';
import { buildIncident, seedParties } from './support/factories.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

const MONITOR = { role: 'monitor', userId: 'usr_fuzz', partyId: null } as const;
const DELEGATE = { role: 'delegate', userId: 'usr_fuzz_af', partyId: 'AF' } as const;

/** Bodies shaped like the real ones half the time (so validation goes deep), anything at all otherwise. */
const body = fc.oneof(
  fc.anything(),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('airstrike', 'shelling', 'armed_clash'), fc.string()),
      title: fc.string(),
      occurredOn: fc.oneof(fc.constant('2025-10-12'), fc.string()),
      lat: fc.oneof(fc.double(), fc.integer()),
      lon: fc.oneof(fc.double(), fc.integer()),
      placeId: fc.oneof(fc.constant('pk-kp'), fc.string()),
      sourceId: fc.oneof(fc.constant('ispr'), fc.string()),
      quote: fc.string(),
      publishedAt: fc.oneof(fc.constant('2025-10-12'), fc.string()),
      figures: fc.array(
        fc.record({
          measure: fc.string(),
          category: fc.string(),
          side: fc.option(fc.string()),
          value: fc.integer(),
          qualifier: fc.string(),
        }),
      ),
      tlp: fc.oneof(fc.constantFrom('CLEAR', 'AMBER', 'RED'), fc.string()),
      recipients: fc.array(fc.string()),
      to: fc.string(),
      reason: fc.string(),
      evidence: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);

describe('no input makes the API fail', () => {
  let instance: Instance;
  let app: FastifyInstance;
  let delegate: FastifyInstance;
  let incidentId = '';
  let cases = 0;

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedParties(instance.store);
    app = await buildServer({ instance, trustedViewer: () => MONITOR, webRoot: null });
    delegate = await buildServer({ instance, trustedViewer: () => DELEGATE, webRoot: null });
    incidentId = (await app.inject({ method: 'POST', url: '/incidents', payload: buildIncident() })).json()
      .id;
  });
  afterAll(async () => {
    await app.close();
    await delegate.close();
    await closeTestInstance(instance);
    console.log(`api fuzz: ${cases} requests, none answered 5xx`);
  });

  const routes = () =>
    [
      [app, '/incidents'],
      [app, `/incidents/${incidentId}/claims`],
      [app, '/claims'],
      [app, `/incidents/${incidentId}/status`],
      [app, `/incidents/${incidentId}/retaliation`],
      [app, `/incidents/${incidentId}/merge`],
      [app, '/documents'],
      [app, '/agreements'],
      [app, '/commitments'],
      [app, '/violations'],
      [app, '/crossings/xing-torkham/status'],
      [delegate, '/submissions'],
      [delegate, '/requests/drv_x/responses'],
    ] as const;

  it('answers every random body on every write route with a 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), body, async (index, payload) => {
        const [server, url] = routes()[index]!;
        const response = await server.inject({
          method: 'POST',
          url,
          payload: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' },
        });
        cases += 1;
        expect(
          response.statusCode,
          `${url} ${JSON.stringify(payload)?.slice(0, 200)} → ${response.body.slice(0, 200)}`,
        ).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('answers every random query string on the read routes with a 2xx or 4xx', async () => {
    const paths = [
      '/incidents',
      '/export',
      '/violations',
      '/crossings',
      '/commitments',
      '/queue',
      '/places',
      '/ledger/proof/inclusion',
      '/ledger/proof/consistency',
      '/aggregate/daily',
      '/warning/escalation',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(
          fc.constantFrom(
            'from',
            'to',
            'bbox',
            'type',
            'actor',
            'status',
            'limit',
            'after',
            'format',
            'q',
            'seq',
            'treeSize',
            'oldSize',
            'newSize',
            'asOf',
          ),
          fc.string(),
        ),
        async (path, query) => {
          const response = await app.inject({ url: path, query });
          cases += 1;
          expect(
            response.statusCode,
            `${path}?${new URLSearchParams(query)} → ${response.body.slice(0, 200)}`,
          ).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
