/**
 * Limited intelligence-sharing, walked through a realistic exchange: Pakistan alleges a militant
 * base in Barmal, the monitor forwards a stripped derivative without the source, Afghanistan
 * answers late with evidence, the monitor verifies partially — and nothing leaks across.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/access/viewer.ts';
import { buildServer } from '../src/api/server.ts';
import { deliverDue, verifyWebhook } from '../src/exchange/webhooks.ts';
import { loadGazetteer } from '../src/gazetteer/gazetteer.ts';
import type { Instance } from '../src/instance.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { loadPlaces, placeRow } from '../src/record/reference.ts';
import { seedParties } from './support/factories.ts';
import { jpegWithGps, png } from './support/images.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

const VIEWERS: Record<string, Viewer> = {
  pk: { role: 'delegate', userId: 'usr_pk', partyId: 'PK' },
  af: { role: 'delegate', userId: 'usr_af', partyId: 'AF' },
  monitor: { role: 'monitor', userId: 'usr_monitor', partyId: null },
  admin: { role: 'admin', userId: 'usr_admin', partyId: null },
  public: { role: 'public', userId: null, partyId: null },
};

describe('the intelligence exchange', () => {
  let instance: Instance;
  const as: Record<string, FastifyInstance> = {};
  const photo = jpegWithGps(32.77, 69.54);
  let receiver: Server;
  let receiverUrl: string;
  const received: { status: number; body: string; headers: Record<string, string | undefined> }[] = [];
  const seen = new Set<string>();
  let secret = '';
  let failNext = 1;
  const state: Record<string, string> = {};

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedParties(instance.store);
    await loadPlaces(
      instance.store,
      'system',
      loadGazetteer()
        .all()
        .filter((p) => p.id.startsWith('af-paktika'))
        .map(placeRow),
    );
    for (const [name, viewer] of Object.entries(VIEWERS))
      as[name] = await buildServer({ instance, trustedViewer: () => viewer });
    // Afghanistan's own receiver: verifies each delivery, refuses replays, fails once to exercise retries.
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (c) => {
        body += c;
      });
      request.on('end', () => {
        const headers = {
          signature: request.headers['x-truce-signature'] as string | undefined,
          delivery: request.headers['x-truce-delivery'] as string | undefined,
        };
        let status = 200;
        if (failNext > 0) {
          failNext -= 1;
          status = 503;
        } else {
          try {
            verifyWebhook(secret, headers, body, { seen });
          } catch (error) {
            status = (error as { code?: string }).code === 'conflict' ? 409 : 401;
          }
        }
        received.push({ status, body, headers: { ...headers } });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/truce`;
  });
  afterAll(async () => {
    for (const app of Object.values(as)) await app.close();
    receiver.close();
    await closeTestInstance(instance);
  });

  const post = (who: string, url: string, payload: object) =>
    as[who]!.inject({ method: 'POST', url, payload });

  it('lets Pakistan file an allegation with a GPS-tagged photo that only it and the mechanism can see', async () => {
    const hook = await post('admin', '/webhooks', { partyId: 'AF', url: receiverUrl });
    secret = hook.json().secret;
    const upload = await as.pk!.inject({
      method: 'POST',
      url: '/files',
      payload: photo,
      headers: { 'content-type': 'image/jpeg', 'x-filename': 'camp-barmal.jpg' },
    });
    expect(upload.statusCode).toBe(201);
    state.photo = upload.json().id;
    const submission = await post('pk', '/submissions', {
      kind: 'allegation_and_request',
      subject: 'militant_presence',
      title: 'TTP training camp near Barmal',
      body: 'Informant K-7 reports about 40 TTP fighters training at a compound 6 km east of Barmal bazaar since September.',
      placeId: 'af-paktika-barmal',
      addressedTo: 'AF',
      requestedAction: 'Dismantle the camp and detain its commanders',
      files: [state.photo],
      shareableWith: 'AF',
    });
    expect(submission.statusCode).toBe(201);
    state.submission = submission.json().id;
    state.submissionSeq = String(submission.json().ledgerSeq);

    // Afghanistan sees none of it: not the submission, not the photo, not the ledger entry's body.
    expect((await as.af!.inject('/submissions')).json()).toEqual([]);
    expect((await as.af!.inject(`/files/${state.photo}`)).statusCode).toBe(404);
    expect((await as.af!.inject(`/ledger/entries/${state.submissionSeq}`)).json().visible).toBe(false);
    expect((await as.af!.inject('/exchange/inbox')).json().toAnswer).toEqual([]);
    expect((await as.public!.inject(`/files/${state.photo}`)).statusCode).toBe(404);
    expect(
      (await as.monitor!.inject('/exchange/inbox')).json().toForward.map((s: { id: string }) => s.id),
    ).toEqual([state.submission]);
  });

  it('refuses disguised and oversized files, and submissions by the mechanism in a party’s name', async () => {
    const script = await as.pk!.inject({
      method: 'POST',
      url: '/files',
      payload: Buffer.from('#!/bin/sh\nrm -rf /\n'),
      headers: { 'content-type': 'image/jpeg', 'x-filename': 'photo.jpg' },
    });
    expect(script.statusCode).toBe(400);
    expect(script.json().error.message).toMatch(/not a JPEG, PNG or PDF/);
    const big = await as.pk!.inject({
      method: 'POST',
      url: '/files',
      payload: Buffer.concat([photo, Buffer.alloc(7 * 1024 * 1024)]),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(big.statusCode).toBe(413);
    expect(
      (await post('monitor', '/submissions', { kind: 'allegation', subject: 'other', title: 't', body: 'b' }))
        .statusCode,
    ).toBe(403);
  });

  it('forwards a derivative to Afghanistan without the source and without the EXIF', async () => {
    const deadline = new Date(Date.now() + 300).toISOString();
    const forwarded = await post('monitor', `/submissions/${state.submission}/forward`, {
      share: {
        body: 'About 40 TTP fighters are reported training at a compound 6 km east of Barmal bazaar.',
        place: true,
        files: [state.photo],
      },
      withholdSource: true,
      deadline,
    });
    expect(forwarded.statusCode).toBe(201);
    const requests = (await as.af!.inject('/requests')).json();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    state.request = request.id;
    expect(request).toMatchObject({
      sourceLabel: 'a party to the mechanism (source withheld)',
      submissionId: null,
      placeId: 'af-paktika-barmal',
    });
    expect(JSON.stringify(request)).not.toMatch(/Informant|K-7|"PK"/);
    const [copy] = request.files;
    expect(copy).not.toBe(state.photo);
    const download = await as.af!.inject(`/files/${copy}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
    expect(download.rawPayload.includes(Buffer.from('K-7'))).toBe(false);
    // The original is still the mechanism's and Pakistan's only.
    expect((await as.af!.inject(`/files/${state.photo}`)).statusCode).toBe(404);
    expect((await as.pk!.inject(`/files/${state.photo}`)).rawPayload.equals(photo)).toBe(true);
    expect((await as.af!.inject('/exchange/inbox')).json().toAnswer.map((r: { id: string }) => r.id)).toEqual(
      [state.request],
    );
  });

  it('notifies Afghanistan’s webhook, signed, retried after a failure, and a replay is refused', async () => {
    const now = new Date();
    expect(await deliverDue(instance.store.db, { now, baseDelayMs: 10 })).toEqual({
      delivered: 0,
      retrying: 1,
      failed: 0,
    });
    expect(
      await deliverDue(instance.store.db, { now: new Date(now.getTime() + 5), baseDelayMs: 10 }),
    ).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(
      await deliverDue(instance.store.db, { now: new Date(now.getTime() + 20), baseDelayMs: 10 }),
    ).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const ok = received.at(-1)!;
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      event: 'request.forwarded',
      partyId: 'AF',
      item: { type: 'derivative', id: state.request },
    });
    expect(ok.body).not.toMatch(/Barmal|TTP/);
    const replay = await fetch(receiverUrl, {
      method: 'POST',
      body: ok.body,
      headers: { 'x-truce-signature': ok.headers.signature!, 'x-truce-delivery': ok.headers.delivery! },
    });
    expect(replay.status).toBe(409);
    const forged = await fetch(receiverUrl, {
      method: 'POST',
      body: ok.body.replace('AF', 'PK'),
      headers: { 'x-truce-signature': ok.headers.signature!, 'x-truce-delivery': 'dlv_other' },
    });
    expect(forged.status).toBe(401);
    const deliveries = (
      await as.admin!.inject(
        `/webhooks/${(await instance.store.db.selectFrom('webhooks').select('id').executeTakeFirstOrThrow()).id}/deliveries`,
      )
    ).json();
    expect(deliveries[0]).toMatchObject({ attempts: 2, status: 'delivered', lastStatusCode: 200 });
  });

  it('streams the inbox to Afghanistan’s delegate over Server-Sent Events', async () => {
    const address = await as.af!.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/exchange/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    controller.abort();
    const text = Buffer.from(value!).toString('utf8');
    expect(text).toMatch(/^event: inbox\nid: \d+\ndata: /);
    expect(JSON.parse(text.split('data: ')[1]!).toAnswer[0].id).toBe(state.request);
  });

  it('takes Afghanistan’s late "action taken" with evidence, and refuses answers to requests not addressed to the responder', async () => {
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await as.af!.inject('/exchange/inbox')).json().overdue.map((r: { id: string }) => r.id)).toEqual([
      state.request,
    ]);
    const evidence = await as.af!.inject({
      method: 'POST',
      url: '/files',
      payload: png(),
      headers: { 'content-type': 'image/png', 'x-filename': 'compound-empty.png' },
    });
    const before = await instance.store.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(
      (await post('pk', `/requests/${state.request}/responses`, { kind: 'disputed', text: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await post('af', '/requests/drv_nope/responses', { kind: 'disputed', text: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (
        await post('af', `/requests/${state.request}/responses`, {
          kind: 'action_taken',
          text: 'x',
          files: [state.photo],
        })
      ).statusCode,
    ).toBe(404);
    const after = await instance.store.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const answer = await post('af', `/requests/${state.request}/responses`, {
      kind: 'action_taken',
      text: 'The compound was searched on 12 November; it was empty. Two men were detained.',
      files: [evidence.json().id],
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json().onTime).toBe(false);
    state.response = answer.json().id;
    // The source was withheld, so the answer is not listed to Pakistan either (that would name it).
    expect(answer.json().recipients).toEqual(['AF']);
    const pkView = (await as.pk!.inject('/submissions')).json()[0];
    expect(pkView).toMatchObject({ answered: true });
    expect((await as.pk!.inject('/requests')).json()).toEqual([]);
  });

  it('records a partial verification that partly meets the commitment, and the record of who acted', async () => {
    const commitment = (
      await post('monitor', '/commitments', {
        id: 'af-camps',
        partyId: 'AF',
        text: 'Act against TTP camps named by the mechanism',
        dueOn: '2025-12-31',
        tlp: 'GREEN',
      })
    ).json();
    expect(
      (
        await post('af', `/responses/${state.response}/verification`, {
          decision: 'verified',
          reasoning: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const verified = await post('monitor', `/responses/${state.response}/verification`, {
      decision: 'partially',
      reasoning: 'Imagery confirms the compound is empty; the detentions are not confirmed.',
      commitmentId: commitment.id,
    });
    expect(verified.statusCode).toBe(201);
    expect(
      (await as.monitor!.inject('/commitments')).json().find((c: { id: string }) => c.id === 'af-camps')
        .status,
    ).toBe('partly_met');
    const today = new Date().toISOString().slice(0, 10);
    const record = (await as.monitor!.inject(`/exchange/record?from=${today}&to=${today}`)).json();
    expect(record).toEqual([
      {
        partyId: 'AF',
        requestsReceived: 1,
        answered: 1,
        answeredOnTime: 0,
        actionsClaimed: 1,
        actionsVerified: 0,
        actionsPartlyVerified: 1,
        overdue: 0,
        medianResponseHours: expect.any(Number),
      },
    ]);
    const csv = (await as.monitor!.inject(`/exchange/record?from=${today}&to=${today}&format=csv`)).body;
    expect(csv.split('\n')[0]).toBe(
      'partyId,requestsReceived,answered,answeredOnTime,actionsClaimed,actionsVerified,actionsPartlyVerified,overdue,medianResponseHours',
    );
  });

  it('puts exactly that sequence on the ledger, which verifies', async () => {
    const kinds = (
      await instance.store.db
        .selectFrom('ledger_entries')
        .select('kind')
        .where('kind', 'in', [
          'file.stored',
          'submission.filed',
          'submission.forwarded',
          'request.answered',
          'action.verified',
          'commitment.decided',
        ])
        .orderBy('seq')
        .execute()
    ).map((k) => k.kind);
    expect(kinds).toEqual([
      'file.stored',
      'submission.filed',
      'file.stored',
      'submission.forwarded',
      'file.stored',
      'request.answered',
      'action.verified',
      'commitment.decided',
    ]);
    expect((await verifyLedger(instance.store.db)).problems).toEqual([]);
  });
});
