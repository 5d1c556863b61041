import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { addClaim } from '../record/claim.ts';
import { createIncident } from '../record/incident.ts';
import type { Store } from '../store/engine.ts';
import { publishHead } from './heads.ts';
import { ephemeralSigner } from './keys.ts';
import { verifyLedger } from './verify.ts';

describe.each(ENGINES)('ledger verify on %s', (engine) => {
  let store: Store;
  let claimId: string;
  let claimSeq: number;
  const signer = ephemeralSigner();

  beforeEach(async () => {
    store = await openTestStore(engine);
    await seedParties(store);
    const incident = await createIncident(store, 'm', buildIncident());
    const { claim } = await addClaim(
      store,
      'm',
      buildClaim(incident.id, { sourceId: 'ispr', figures: [killed('PK', 23)] }),
    );
    claimId = claim.id;
    claimSeq = claim.ledger_seq;
    await publishHead(store.db, signer);
  });
  afterEach(async () => closeTestStore(store));

  const messages = async () => (await verifyLedger(store.db)).problems.map((p) => p.message);

  it('passes on an untouched ledger', async () => {
    const report = await verifyLedger(store.db, { trustedKeys: [signer.publicKeyPem.trim()] });
    expect(report).toMatchObject({ ok: true, headsChecked: 1, problems: [] });
    expect(report.rowsChecked).toBeGreaterThan(10);
  });

  it('names the entry when a claim row is edited in SQL', async () => {
    await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
    expect(await messages()).toEqual([
      `claims ${claimId} differs from ledger entry ${claimSeq} that wrote it`,
    ]);
  });

  it('catches a deleted row and a row written behind the ledger', async () => {
    await store.pool.query(`DELETE FROM claims WHERE id = $1`, [claimId]);
    await store.pool.query(
      `INSERT INTO parties (id, name, role, ledger_seq) VALUES ('XX', 'Forged', 'mediator', 0)`,
    );
    const found = await messages();
    expect(found).toContain(`claims ${claimId}, written by ledger entry ${claimSeq}, is gone`);
    expect(found).toContain('parties XX has no ledger entry');
  });

  it('catches an entry rewritten with a matching leaf hash, via the signed head', async () => {
    const { rows } = await store.pool.query(`SELECT body FROM ledger_entries WHERE seq = $1`, [claimSeq]);
    const body = (rows[0] as { body: string }).body.replace('"value":23', '"value":2');
    const { leafHash } = await import('./merkle.ts');
    await store.pool.query(`UPDATE ledger_entries SET body = $1, leaf_hash = $2 WHERE seq = $3`, [
      body,
      leafHash(Buffer.from(body)),
      claimSeq,
    ]);
    const found = await messages();
    expect(found.some((m) => /tree head at size \d+ does not match the entries/.test(m))).toBe(true);
  });

  it('catches a removed last entry', async () => {
    await store.pool.query(`DELETE FROM ledger_entries WHERE seq = (SELECT max(seq) FROM ledger_entries)`);
    expect(
      (await messages()).some((m) => /tree head at size \d+ is beyond the log's \d+ entries/.test(m)),
    ).toBe(true);
  });

  it('catches a forged head signature', async () => {
    await store.pool.query(`UPDATE tree_heads SET signature = $1`, [Buffer.alloc(64, 1).toString('base64')]);
    expect(await messages()).toEqual([
      expect.stringMatching(/tree head at size \d+ has an invalid signature/),
    ]);
  });

  it('refuses heads signed by a key the verifier does not trust', async () => {
    const report = await verifyLedger(store.db, { trustedKeys: [ephemeralSigner().publicKeyPem.trim()] });
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/unknown key/)]);
  });
});
