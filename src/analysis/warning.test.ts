import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident } from '../../test/support/factories.ts';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { MECHANISM, PUBLIC, type Viewer } from '../access/viewer.ts';
import { errorHandler } from '../api/errors.ts';
import { warningRoutes } from '../api/routes/warning.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Instance } from '../instance.ts';
import { addClaim } from '../record/claim.ts';
import { createIncident } from '../record/incident.ts';
import { chainsReport, escalationReport, forecastReport } from './warning.ts';

const OCTOBER = { from: '2025-10-01', to: '2025-10-31' };

describe('early warning on the demo record', () => {
  let instance: Instance;
  let ids: { shelling: string; answer: string; amber: string };
  const apps: FastifyInstance[] = [];

  async function appAs(viewer: Viewer) {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(errorHandler);
    await app.register(warningRoutes({ instance, viewerOf: () => viewer }));
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedDemo(instance);
    const { store } = instance;
    // A pair the record does not link: Pakistani shelling, and an Afghan attack 7 km away the
    // next day that a source says came "in response".
    const shelling = await createIncident(
      store,
      'system',
      buildIncident({
        type: 'shelling',
        title: 'Shelling of a village near the Kurram border',
        occurredOn: '2025-10-20',
        lat: 33.9,
        lon: 70.1,
        actorId: 'PK.military',
        targetId: 'civilians',
      }),
    );
    const answer = await createIncident(
      store,
      'system',
      buildIncident({
        occurredOn: '2025-10-21',
        lat: 33.95,
        lon: 70.16,
        actorId: 'AF.forces',
        targetId: 'PK.military',
      }),
    );
    await addClaim(
      store,
      'system',
      buildClaim(answer.id, {
        sourceId: 'hurriyat',
        publishedAt: '2025-10-21T10:00:00Z',
        quote: 'Afghan forces struck Pakistani posts in response to the shelling of the village.',
      }),
    );
    // Only the mechanism (and Pakistan, as recipient) may see this one.
    const amber = await createIncident(
      store,
      'system',
      buildIncident({
        occurredOn: '2025-10-20',
        lat: 33.92,
        lon: 70.12,
        actorId: 'AF.forces',
        tlp: 'AMBER',
        recipients: ['PK'],
        title: 'Restricted: mortar fire on a post',
      }),
    );
    ids = { shelling: shelling.id, answer: answer.id, amber: amber.id };
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await closeTestInstance(instance);
  });

  it('shows the 17 October "retaliatory operations" as an explicit link to the Paktika strikes', async () => {
    const report = await chainsReport(instance.store.db, MECHANISM, OCTOBER);
    expect(report.sides).toEqual(['AF', 'PK']);
    const link = report.explicit.find((l) => l.incident?.title.includes('retaliatory operations'));
    expect(link).toMatchObject({ basis: 'source' });
    expect(link!.answers).toMatchObject({ day: '2025-10-17', type: 'airstrike', side: 'PK' });
    expect(link!.reason).toMatch(/Hurriyat Radio/);
    // …and so it is not offered again as a guess.
    expect(
      report.inferred.some((l) => l.incidentId === link!.incidentId && l.answersId === link!.answersId),
    ).toBe(false);
  });

  it('infers the unlinked pair, with the wording of the claim as part of the reason', async () => {
    const report = await chainsReport(instance.store.db, MECHANISM, OCTOBER);
    const inferred = report.inferred.find((l) => l.incidentId === ids.answer && l.answersId === ids.shelling);
    expect(inferred).toBeDefined();
    expect(inferred).toMatchObject({ days: 1, wording: ['in response'] });
    expect(inferred!.km).toBeLessThan(10);
    expect(inferred!.score).toBeGreaterThan(0.8);
    expect(inferred!.reason).toMatch(/1 day\(s\) after shelling by PK\.military \(PK\).*in response/);
  });

  it('reads through the viewer: the public sees neither the AMBER incident nor a chain through it', async () => {
    const mechanism = await chainsReport(instance.store.db, MECHANISM, OCTOBER);
    expect(mechanism.inferred.some((l) => l.incidentId === ids.amber)).toBe(true);
    const app = await appAs(PUBLIC);
    const response = await app.inject('/warning/chains?from=2025-10-01&to=2025-10-31');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(ids.amber);
    const publicDay = (await app.inject('/warning/escalation?from=2025-10-20&to=2025-10-20')).json();
    const [mechanismDay] = (
      await escalationReport(instance.store.db, MECHANISM, { from: '2025-10-20', to: '2025-10-20' })
    ).days;
    expect(publicDay.days[0].incidents).toBe(mechanismDay!.incidents - 1);
  });

  it('computes the escalation index of 17 October from its documented terms', async () => {
    const report = await escalationReport(instance.store.db, MECHANISM, OCTOBER);
    expect(report.days).toHaveLength(31);
    const day = report.days.find((d) => d.day === '2025-10-17')!;
    // The Paktika airstrike (3, cross-border 1.5) and the Afghan attack on Pakistani posts (2,
    // cross-border 1.5, answering the strike 1). No fatalities term: the only figure, "at least
    // three" from national media, counts toward high only (CODEBOOK § Reconciliation), and the
    // index reads best.
    expect(day.incidents).toBe(2);
    expect(day.components.fatalities).toBe(0);
    expect(day.index).toBeCloseTo(3 + 1.5 + 2 + 1.5 + 1, 9);
    expect(day.bySide.PK).toBeCloseTo(3 + 1.5, 9);
    // 12 October: 23 Pakistani soldiers is ISPR's admission, so best counts (with Mujahid's 9).
    const twelfth = report.days.find((d) => d.day === '2025-10-12')!;
    expect(twelfth.components.fatalities).toBeGreaterThan(Math.log1p(23));
    expect(report.weights.severity.airstrike).toBe(3);
  });

  it('fits the model and forecasts seven days per side, saying how little data there is', async () => {
    const report = await forecastReport(instance.store.db, MECHANISM, { to: '2025-10-31', paths: 300 });
    expect(report.forecast.origin).toBe('2025-11-01');
    expect(report.params.halfLifeDays).toBeGreaterThanOrEqual(1);
    for (const side of ['AF', 'PK']) {
      const days = report.forecast.sides[side]!.days;
      expect(days).toHaveLength(7);
      expect(days[0]!.date).toBe('2025-11-01');
      for (const d of days) {
        expect(d.p95[0]).toBeLessThanOrEqual(d.p80[0]);
        expect(d.p80[1]).toBeLessThanOrEqual(d.p95[1]);
      }
    }
    expect(report.caveats.join(' ')).toMatch(/Only \d+ incidents/);
    // Same data, same seed: the same forecast.
    const again = await forecastReport(instance.store.db, MECHANISM, { to: '2025-10-31', paths: 300 });
    expect(again.forecast).toEqual(report.forecast);
  });

  it('serves the three routes and names a bad field', async () => {
    const app = await appAs(MECHANISM);
    const forecast = await app.inject('/warning/forecast?to=2025-10-31&days=3&paths=200');
    expect(forecast.statusCode).toBe(200);
    expect(forecast.json().forecast.sides.PK.days).toHaveLength(3);
    expect(forecast.json().params.alpha.AF).toHaveProperty('PK');
    const bad = await app.inject('/warning/escalation?from=2025-13-01');
    expect(bad.statusCode).toBe(400);
    const reversed = await app.inject('/warning/escalation?from=2025-10-10&to=2025-10-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error).toMatchObject({ code: 'invalid_input', field: 'from' });
  });
});
