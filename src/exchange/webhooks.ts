/**
 * Outgoing webhooks per party: deliveries are queued in the same transaction as the write that
 * causes them, signed with HMAC-SHA256, retried with exponential backoff, and logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import { newId } from '../record/ids.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type WebhookEvent = 'request.forwarded' | 'response.received' | 'action.verified';

/** Queues one delivery per active webhook of the party. The payload names the item; the receiver fetches it with its own token. */
export async function enqueueEvent(
  trx: Db,
  partyId: string,
  event: WebhookEvent,
  item: { type: string; id: string },
): Promise<void> {
  const hooks = await trx
    .selectFrom('webhooks')
    .select('id')
    .where('party_id', '=', partyId)
    .where('active', '=', true)
    .execute();
  const now = new Date().toISOString();
  for (const hook of hooks) {
    const id = newId('dlv');
    await trx
      .insertInto('webhook_deliveries')
      .values({
        id,
        webhook_id: hook.id,
        event,
        payload: JSON.stringify({ delivery: id, event, at: now, partyId, item }),
        attempts: 0,
        status: 'pending',
        last_status_code: null,
        last_error: null,
        next_attempt_at: now,
        delivered_at: null,
        created_at: now,
      })
      .execute();
  }
}

export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export async function registerWebhook(
  db: Db,
  partyId: string,
  url: string,
): Promise<{ id: string; secret: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TruceError('invalid_input', 'url: not a URL', { field: 'url' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TruceError('invalid_input', 'url: must be http or https', { field: 'url' });
  }
  const id = newId('whk');
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('webhooks')
    .values({
      id,
      party_id: partyId,
      url: parsed.toString(),
      secret,
      active: true,
      created_at: new Date().toISOString(),
    })
    .execute();
  return { id, secret };
}

export type DeliveryOptions = {
  fetch?: typeof fetch;
  now?: Date;
  /** First retry after this long; each further retry waits twice as long. */
  baseDelayMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
};

/** Sends every delivery that is due; returns how many were delivered and how many failed for good. */
export async function deliverDue(
  db: Kysely<Database>,
  options: DeliveryOptions = {},
): Promise<{ delivered: number; retrying: number; failed: number }> {
  const send = options.fetch ?? fetch;
  const now = options.now ?? new Date();
  const base = options.baseDelayMs ?? 5_000;
  const max = options.maxAttempts ?? 8;
  const due = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.payload',
      'webhook_deliveries.attempts',
      'webhooks.url',
      'webhooks.secret',
    ])
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now.toISOString())
    .orderBy('webhook_deliveries.next_attempt_at')
    .limit(100)
    .execute();
  const result = { delivered: 0, retrying: 0, failed: 0 };
  for (const delivery of due) {
    const timestamp = Math.floor(now.getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await send(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-truce-delivery': delivery.id,
          'x-truce-signature': `t=${timestamp},v1=${signature(delivery.secret, timestamp, delivery.payload)}`,
        },
        body: delivery.payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      status = response.status;
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const attempts = delivery.attempts + 1;
    const ok = error === null;
    const final = !ok && attempts >= max;
    await db
      .updateTable('webhook_deliveries')
      .set({
        attempts,
        status: ok ? 'delivered' : final ? 'failed' : 'pending',
        last_status_code: status,
        last_error: error,
        delivered_at: ok ? now.toISOString() : null,
        next_attempt_at: new Date(now.getTime() + base * 2 ** (attempts - 1)).toISOString(),
      })
      .where('id', '=', delivery.id)
      .execute();
    if (ok) result.delivered += 1;
    else if (final) result.failed += 1;
    else result.retrying += 1;
  }
  return result;
}

/**
 * For receivers: checks the signature, refuses stale timestamps, and refuses a delivery id seen
 * before (a replay). Throws a TruceError naming what is wrong.
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; delivery: string | undefined },
  body: string,
  options: { seen: Set<string>; toleranceSeconds?: number; now?: Date },
): void {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers.signature ?? '');
  if (!match || !headers.delivery)
    throw new TruceError('unauthorized', 'x-truce-signature or x-truce-delivery missing or malformed');
  const timestamp = Number(match[1]);
  const expected = Buffer.from(signature(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex')))
    throw new TruceError('unauthorized', 'signature does not match the body');
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300))
    throw new TruceError('unauthorized', 'timestamp outside the tolerance window');
  if (options.seen.has(headers.delivery))
    throw new TruceError('conflict', `delivery ${headers.delivery} was already received (replay)`);
  options.seen.add(headers.delivery);
}
