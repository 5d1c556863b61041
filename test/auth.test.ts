/** Log-in, sessions with CSRF, API tokens, roles on writes, rate limiting and attack inputs, over real HTTP handling. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, ensureFirstAdmin } from '../src/access/accounts.ts';
import { CONTENT_SECURITY_POLICY } from '../src/api/security.ts';
import { buildServer } from '../src/api/server.ts';
import type { Instance } from '../src/instance.ts';
import { buildIncident, seedParties } from './support/factories.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

const PASSWORD = 'correct horse battery staple';

describe('accounts, sessions and tokens', () => {
  let instance: Instance;
  let app: FastifyInstance;
  let adminPassword: string;

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedParties(instance.store);
    adminPassword = (await ensureFirstAdmin(instance.store))!.password;
    await createAccount(instance.store, 'system', { username: 'mona', role: 'monitor' }, PASSWORD);
    await createAccount(instance.store, 'system', { username: 'ana', role: 'analyst' }, PASSWORD);
    await createAccount(
      instance.store,
      'system',
      { username: 'pk-delegate', role: 'delegate', partyId: 'PK' },
      PASSWORD,
    );
    app = await buildServer({ instance });
  });
  afterAll(async () => {
    await app.close();
    await closeTestInstance(instance);
  });

  const cookieOf = (response: LightMyRequestResponse) =>
    String(response.headers['set-cookie']).split(';')[0]!;
  async function login(username: string, password = PASSWORD, ip = '10.0.0.1') {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });
    return { response, cookie: cookieOf(response), csrf: response.json().csrfToken as string };
  }

  it('never has a fixed default: the first admin gets a one-time password that must be changed', async () => {
    expect(await ensureFirstAdmin(instance.store)).toBeNull();
    const { response, cookie, csrf } = await login('admin', adminPassword);
    expect(response.statusCode).toBe(200);
    expect(response.json().mustChangePassword).toBe(true);
    expect(response.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await app.inject({ url: '/incidents', headers: { cookie } })).statusCode).toBe(403);
    const changed = await app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { currentPassword: adminPassword, newPassword: 'a much longer admin passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await app.inject({ url: '/incidents', headers: { cookie } })).statusCode).toBe(200);
  });

  it('lets monitors write with a CSRF token, and refuses analysts, delegates and the public', async () => {
    const mona = await login('mona');
    const payload = buildIncident({ title: 'posted by a monitor' });
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/incidents',
      headers: { cookie: mona.cookie },
      payload,
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.message).toMatch(/csrf/i);
    const ok = await app.inject({
      method: 'POST',
      url: '/incidents',
      headers: { cookie: mona.cookie, 'x-csrf-token': mona.csrf },
      payload,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ title: 'posted by a monitor' });
    for (const username of ['ana', 'pk-delegate']) {
      const who = await login(username);
      const denied = await app.inject({
        method: 'POST',
        url: '/incidents',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
        payload,
      });
      expect(denied.statusCode, username).toBe(403);
    }
    expect((await app.inject({ method: 'POST', url: '/incidents', payload })).statusCode).toBe(401);
    expect((await app.inject({ url: '/users', headers: { cookie: mona.cookie } })).statusCode).toBe(403);
  });

  it('issues scoped API tokens stored hashed, and refuses revoked, expired and forged ones', async () => {
    const mona = await login('mona');
    const issue = (scope: string) =>
      app.inject({
        method: 'POST',
        url: '/auth/tokens',
        headers: { cookie: mona.cookie, 'x-csrf-token': mona.csrf },
        payload: { scope },
      });
    const read = (await issue('read')).json();
    const write = (await issue('write')).json();
    const stored = await instance.store.db
      .selectFrom('api_tokens')
      .select('secret_hash')
      .where('id', '=', read.id)
      .executeTakeFirstOrThrow();
    expect(read.token).not.toContain(stored.secret_hash);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await app.inject({ url: '/incidents', headers: bearer(read.token) })).statusCode).toBe(200);
    const payload = buildIncident({ title: 'posted with a token' });
    expect(
      (await app.inject({ method: 'POST', url: '/incidents', headers: bearer(read.token), payload }))
        .statusCode,
    ).toBe(403);
    // Tokens need no CSRF header: they are not sent by browsers on their own.
    expect(
      (await app.inject({ method: 'POST', url: '/incidents', headers: bearer(write.token), payload }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/auth/tokens/${write.id}`,
          headers: { cookie: mona.cookie, 'x-csrf-token': mona.csrf },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/incidents', headers: bearer(write.token) })).statusCode).toBe(401);
    await instance.store.db
      .updateTable('api_tokens')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', read.id)
      .execute();
    expect((await app.inject({ url: '/incidents', headers: bearer(read.token) })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/incidents', headers: bearer(`${read.token.slice(0, -2)}xx`) })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/incidents', headers: { authorization: "Bearer ' OR 1=1 --" } })).statusCode,
    ).toBe(401);
  });

  it('rate-limits log-ins and logs each failure', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login('ana', 'wrong password', '10.0.0.9')).response.statusCode).toBe(401);
    const blocked = await login('ana', PASSWORD, '10.0.0.9');
    expect(blocked.response.statusCode).toBe(429);
    const failures = await instance.store.db
      .selectFrom('access_log')
      .selectAll()
      .where('action', '=', 'login_failed')
      .where('username', '=', 'ana')
      .execute();
    expect(failures).toHaveLength(5);
    const blockedRows = await instance.store.db
      .selectFrom('access_log')
      .selectAll()
      .where('action', '=', 'login_blocked')
      .execute();
    expect(blockedRows.map((r) => r.ip)).toEqual(['10.0.0.9']);
    // An unknown name gets the same answer as a wrong password.
    expect((await login('nobody', 'x')).response.json().error.message).toBe('wrong username or password');
  });

  it('ends sessions and tokens of a disabled user', async () => {
    const admin = await login('admin', 'a much longer admin passphrase');
    const delegate = await login('pk-delegate');
    expect((await app.inject({ url: '/auth/me', headers: { cookie: delegate.cookie } })).json().role).toBe(
      'delegate',
    );
    const disabled = await app.inject({
      method: 'POST',
      url: '/users/pk-delegate/disable',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { reason: 'left the delegation' },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await app.inject({ url: '/auth/me', headers: { cookie: delegate.cookie } })).json().role).toBe(
      'public',
    );
    expect((await login('pk-delegate')).response.statusCode).toBe(401);
  });

  it('sends a strict CSP and hardening headers, and no stack traces', async () => {
    const response = await app.inject('/incidents');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('treats SQL injection strings in every filter as data', async () => {
    const attacks = [
      "' OR '1'='1",
      '1; DROP TABLE incidents; --',
      "%' UNION SELECT * FROM credentials --",
      '\\',
      '"',
      "'||pg_sleep(5)||'",
    ];
    const before = (
      await instance.store.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    let cases = 0;
    for (const attack of attacks) {
      const q = encodeURIComponent(attack);
      for (const url of [
        `/incidents?from=${q}`,
        `/incidents?to=${q}`,
        `/incidents?bbox=${q}`,
        `/incidents?type=${q}`,
        `/incidents?actor=${q}`,
        `/incidents?status=${q}`,
        `/incidents?after=${q}`,
        `/incidents/${q}`,
        `/places?q=${q}`,
        `/places/${q}`,
        `/documents/${q}`,
        `/ledger/entries/${q}`,
        `/ledger/proof/inclusion?seq=${q}&treeSize=1`,
        `/export?from=${q}`,
      ]) {
        const response = await app.inject(url);
        expect([200, 400, 404], `${url} → ${response.statusCode}`).toContain(response.statusCode);
        expect(response.body).not.toMatch(/syntax error|stack|at [\w.]+ \(/i);
        cases += 1;
      }
    }
    const after = (
      await instance.store.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    expect(after).toBe(before);
    expect(cases).toBe(attacks.length * 14);
  });

  it('stores script payloads as inert text and serves them as JSON only', async () => {
    const mona = await login('mona');
    const title = '<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)';
    const created = await app.inject({
      method: 'POST',
      url: '/incidents',
      headers: { cookie: mona.cookie, 'x-csrf-token': mona.csrf },
      payload: buildIncident({ title }),
    });
    expect(created.statusCode).toBe(201);
    const read = await app.inject({
      url: `/incidents/${created.json().id}`,
      headers: { cookie: mona.cookie },
    });
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.json().title).toBe(title);
  });
});
