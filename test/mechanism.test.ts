/** The mechanism's daily work, walked through the real October 2025 sequence of the demo. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Instance } from '../src/instance.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

const MONITOR = { role: 'monitor', userId: 'usr_monitor', partyId: null } as const;

describe('verification, violations, crossings and commitments on the 2025 sequence', () => {
  let instance: Instance;
  let app: FastifyInstance;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedDemo(instance);
    app = await buildServer({ instance, trustedViewer: () => MONITOR });
    const list = (await app.inject('/incidents?limit=100')).json().incidents as {
      id: string;
      title: string;
    }[];
    const find = (prefix: string) => list.find((i) => i.title.startsWith(prefix))!.id;
    ids.kabul = find('Airstrike in Kabul');
    ids.clashes = find('Afghan Taliban forces attack');
    ids.paktika = find('Pakistani airstrikes in Paktika');
    ids.retaliation = find('Afghan forces launch');
  });
  afterAll(async () => {
    await app.close();
    await closeTestInstance(instance);
  });

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });

  it('finds the 17 October incidents as candidate violations of the 48-hour truce, on its last day', async () => {
    const { candidates, register } = (await app.inject('/violations')).json();
    const pairs = candidates.map(
      (c: { incident: { id: string }; agreementId: string; partyId: string; inForce: string }) => [
        c.incident.id,
        c.agreementId,
        c.partyId,
        c.inForce,
      ],
    );
    expect(pairs).toEqual(
      expect.arrayContaining([
        [ids.paktika, 'truce-2025-10-15', 'PK', 'boundary'],
        [ids.retaliation, 'truce-2025-10-15', 'AF', 'boundary'],
      ]),
    );
    // The 12 October clashes came before any agreement; Doha began on the 19th.
    expect(pairs.some((p: string[]) => p[0] === ids.clashes || p[1] === 'doha-2025-10-19')).toBe(false);
    expect(register).toEqual([]);
  });

  it('puts unattributed candidates at the top of the queue, with the reason', async () => {
    const queue = (await app.inject('/queue')).json();
    const top = queue
      .slice(0, 2)
      .map((q: { incident: { id: string } }) => q.incident.id)
      .sort();
    expect(top).toEqual([ids.paktika, ids.retaliation].sort());
    expect(queue[0].reasons[0]).toMatch(/candidate violation/);
  });

  it('records the monitor’s decision on whether the truce was still in force, and the latest decision counts', async () => {
    const first = await post('/violations', {
      incidentId: ids.retaliation,
      agreementId: 'truce-2025-10-15',
      decision: 'attributed',
      reasoning:
        'Hurriyat Radio reports the operations on 17 Oct; treated as within the truce pending timing.',
    });
    expect(first.statusCode).toBe(201);
    let register = (await app.inject('/violations')).json().register;
    expect(register).toEqual([{ partyId: 'AF', week: '2025-W42', count: 1, incidentIds: [ids.retaliation] }]);
    await post('/violations', {
      incidentId: ids.retaliation,
      agreementId: 'truce-2025-10-15',
      decision: 'not_a_violation',
      reasoning: 'Field reports place the operations after the truce expired at 13:00 UTC on 17 Oct.',
    });
    register = (await app.inject('/violations')).json().register;
    expect(register).toEqual([]);
    const decisions = await instance.store.db
      .selectFrom('violation_attributions')
      .select('decision')
      .where('incident_id', '=', ids.retaliation!)
      .orderBy('decided_at')
      .execute();
    expect(decisions.map((d) => d.decision)).toEqual(['attributed', 'not_a_violation']);
    const refused = await post('/violations', {
      incidentId: ids.clashes,
      agreementId: 'truce-2025-10-15',
      decision: 'attributed',
      reasoning: 'x',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.field).toBe('agreementId');
  });

  it('counts attributed violations of the Doha ceasefire per party per week', async () => {
    const incident = (
      await post('/incidents', {
        type: 'shelling',
        title: 'Mortar fire on a border post after Doha',
        occurredOn: '2025-10-21',
        placeId: 'xing-angoor-adda',
        actorId: 'AF.forces',
        targetId: 'PK.military',
        tlp: 'CLEAR',
      })
    ).json();
    const candidates = (await app.inject('/violations?agreement=doha-2025-10-19')).json().candidates;
    expect(
      candidates.map((c: { incident: { id: string }; inForce: string }) => [c.incident.id, c.inForce]),
    ).toEqual([[incident.id, 'in_force']]);
    await post('/violations', {
      incidentId: incident.id,
      agreementId: 'doha-2025-10-19',
      decision: 'attributed',
      reasoning: 'Two sources; AF forces named by both.',
    });
    const csv = (await app.inject('/violations?format=csv')).body.trim().split('\n');
    expect(csv).toEqual(['party,week,attributed_violations,incident_ids', `AF,2025-W43,1,${incident.id}`]);
  });

  it('refuses to corroborate what the claims do not corroborate, and verifies only with evidence', async () => {
    const refused = await post(`/incidents/${ids.kabul}/status`, {
      to: 'corroborated',
      reason: 'looks right',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/1 source/);
    const verified = await post(`/incidents/${ids.paktika}/status`, {
      to: 'verified',
      reason: 'Craters and funeral seen by the field team',
      evidence: [{ kind: 'field_report', ref: 'FR-2025-10-18-01' }],
    });
    expect(verified.json().incident.status).toBe('verified');
  });

  it('keeps each crossing’s timeline, days closed and phased reopening', async () => {
    const asOf = '2025-10-20T00:00:00.000Z';
    const board = (await app.inject(`/crossings?asOf=${asOf}`)).json();
    const torkham = board.find((c: { id: string }) => c.id === 'xing-torkham');
    expect(torkham.current.status).toBe('closed');
    expect(torkham.daysClosed).toBe(8);
    expect(torkham.current.observerPresent).toBe(false);
    const restricted = await post('/crossings/xing-torkham/status', {
      status: 'restricted',
      moves: ['pedestrians', 'returnees'],
      since: '2025-11-01',
      reason: 'Reopened for returnees only',
      stranded: 1200,
      trucksQueued: 5000,
      observerPresent: true,
    });
    expect(restricted.statusCode).toBe(201);
    expect(
      (
        await post('/crossings/xing-torkham/status', {
          status: 'closed',
          moves: ['trade'],
          since: '2025-11-02',
        })
      ).json().error.field,
    ).toBe('moves');
    const plan = (
      await post('/crossings/xing-torkham/plans', {
        name: 'Supervised reopening of Torkham',
        phases: [
          {
            description: 'Returnees and medical cases',
            conditions: ['neutral observer present', 'no incident within 10 km for 7 days'],
          },
          { description: 'Trade for 30 days', conditions: ['phase 1 held for 14 days'] },
        ],
      })
    ).json();
    expect(plan.phases.map((p: { ordinal: number }) => p.ordinal)).toEqual([1, 2]);
    expect(
      (await post(`/reopening-plans/${plan.id}/phases/2/begin`, { beganOn: '2025-11-03' })).statusCode,
    ).toBe(409);
    expect(
      (await post(`/reopening-plans/${plan.id}/phases/1/begin`, { beganOn: '2025-11-01' })).statusCode,
    ).toBe(200);
    expect(
      (await post(`/reopening-plans/${plan.id}/phases/2/begin`, { beganOn: '2025-10-30' })).json().error
        .field,
    ).toBe('beganOn');
    const later = (await app.inject('/crossings?asOf=2025-11-05T00:00:00.000Z'))
      .json()
      .find((c: { id: string }) => c.id === 'xing-torkham');
    expect(later.current).toMatchObject({
      status: 'restricted',
      moves: ['pedestrians', 'returnees'],
      stranded: 1200,
      trucksQueued: 5000,
      observerPresent: true,
    });
    expect(later.daysClosed).toBe(20);
    expect(later.plans[0].phases[0].beganOn).toBe('2025-11-01');
    const csv = (await app.inject('/crossings?format=csv&asOf=2025-11-05T00:00:00.000Z')).body;
    expect(csv).toMatch(/^crossing,kind,status,since,moves,days_closed/);
    expect(csv).toMatch(
      /Torkham,both,restricted,2025-11-01T00:00:00.000Z,pedestrians returnees,20,1200,5000,true/,
    );
  });

  it('surfaces overdue commitments and needs evidence to call one met', async () => {
    const created = (
      await post('/commitments', {
        partyId: 'AF',
        text: 'Relocate named militant camps away from the border',
        dueOn: '2025-11-15',
        tlp: 'CLEAR',
      })
    ).json();
    const overdue = (await app.inject('/commitments?overdue=true')).json();
    expect(overdue.map((c: { id: string }) => c.id)).toContain(created.id);
    expect(
      (await post(`/commitments/${created.id}/decision`, { to: 'met', reason: 'said so' })).json().error
        .field,
    ).toBe('evidence');
    const decided = await post(`/commitments/${created.id}/decision`, {
      to: 'partly_met',
      reason: 'Two of five camps relocated, verified by imagery',
      evidence: [{ kind: 'url', ref: 'imagery:2025-11-20' }],
    });
    expect(decided.json()).toMatchObject({ status: 'partly_met' });
    expect(
      (await app.inject('/commitments?overdue=true')).json().map((c: { id: string }) => c.id),
    ).not.toContain(created.id);
    expect((await app.inject('/commitments?format=csv')).body).toMatch(/partly_met,false/);
  });

  it('leaves a ledger that verifies, with every decision on it', async () => {
    const report = await verifyLedger(instance.store.db);
    expect(report.problems).toEqual([]);
    const kinds = await instance.store.db.selectFrom('ledger_entries').select('kind').distinct().execute();
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining([
        'violation.attributed',
        'reopening.planned',
        'reopening.phase_began',
        'commitment.decided',
        'status.changed',
      ]),
    );
  });
});
