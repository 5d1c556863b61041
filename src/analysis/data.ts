/**
 * The early-warning analyses' only reads: incidents (through listIncidents, so the access policy,
 * per-viewer figures and the sensitive-read log all apply), the sides, retaliation links whose two
 * ends the viewer may see, and the retaliation wording of visible claims.
 */
import { type Kysely, sql } from 'kysely';
import { visibleTo } from '../access/policy.ts';
import type { Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { listIncidents } from '../query/incidents.ts';
import type { Database } from '../store/schema.ts';
import { RETALIATION_WORDING, retaliationWords } from './chains.ts';
import type { ExplicitLink, WarningIncident } from './incident.ts';

type Db = Kysely<Database>;

/**
 * The sides: the belligerent parties (parties.role = 'belligerent'), in id order. Which side an
 * incident counts for is its actor's party; an actor with no party or a non-belligerent party
 * (a militant group, civilians, unknown) is no side's.
 */
export async function loadSides(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('parties')
    .select('id')
    .where('role', '=', 'belligerent')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Every incident the viewer may see in [from, to] (merged duplicates excluded), oldest first. */
export async function loadIncidents(
  db: Db,
  viewer: Viewer,
  sides: readonly string[],
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<WarningIncident[]> {
  const actors = await db.selectFrom('actors').select(['id', 'party_id']).execute();
  const partyOf = new Map(actors.map((a) => [a.id, a.party_id]));
  const out: WarningIncident[] = [];
  let after: string | undefined;
  // Paged through the one incident read path rather than a query of our own: it applies the policy
  // in SQL, recomputes figures from the claims this viewer can see, and logs sensitive reads.
  do {
    const page = await listIncidents(db, viewer, {
      ...(period.from ? { from: period.from } : {}),
      ...(period.to ? { to: period.to } : {}),
      limit: 1000,
      ...(after ? { after } : {}),
    });
    for (const row of page.incidents) {
      const party = row.actor_id ? (partyOf.get(row.actor_id) ?? null) : null;
      out.push({
        id: row.id,
        title: row.title,
        type: row.type,
        day: row.occurred_on,
        lat: row.lat,
        lon: row.lon,
        country: row.country,
        actorId: row.actor_id,
        side: party !== null && sides.includes(party) ? party : null,
        status: row.status,
        fatalitiesBest: row.fatalities_best,
      });
    }
    after = page.next ?? undefined;
  } while (after);
  return out.reverse();
}

/** Retaliation links whose answering incident falls in [from, to] and whose two ends the viewer may see. */
export async function loadLinks(
  db: Db,
  viewer: Viewer,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<ExplicitLink[]> {
  let query = db
    .selectFrom('retaliation_links')
    .innerJoin('incidents as answering', 'answering.id', 'retaliation_links.incident_id')
    .innerJoin('incidents as answered', 'answered.id', 'retaliation_links.answers_id')
    .select([
      'retaliation_links.incident_id',
      'retaliation_links.answers_id',
      'retaliation_links.basis',
      'retaliation_links.reason',
    ])
    // A link to an incident the viewer cannot see would reveal that it exists.
    .where(visibleTo(viewer, 'answering'))
    .where(visibleTo(viewer, 'answered'));
  if (period.from) query = query.where('answering.occurred_on', '>=', period.from);
  if (period.to) query = query.where('answering.occurred_on', '<=', period.to);
  const rows = await query.orderBy('answering.occurred_on').orderBy('retaliation_links.id').execute();
  return rows.map((r) => ({
    incidentId: r.incident_id,
    answersId: r.answers_id,
    basis: r.basis,
    reason: r.reason,
  }));
}

/**
 * For each incident, the retaliation words in the quotes of the claims the viewer may see (its own
 * and those of incidents merged into it: the kept incident counts every claim).
 */
export async function loadWording(
  db: Db,
  viewer: Viewer,
  incidentIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (incidentIds.length === 0) return out;
  const kept = sql<string>`coalesce(incidents.merged_into, incidents.id)`;
  for (let offset = 0; offset < incidentIds.length; offset += 5000) {
    const ids = incidentIds.slice(offset, offset + 5000);
    const rows = await db
      .selectFrom('claims')
      .innerJoin('incidents', 'incidents.id', 'claims.incident_id')
      .select([kept.as('kept'), 'claims.quote'])
      .where((eb) => eb.or([eb('incidents.id', 'in', ids), eb('incidents.merged_into', 'in', ids)]))
      .where(visibleTo(viewer, 'claims'))
      .where(sql<boolean>`claims.quote ~* ${RETALIATION_WORDING.source}`)
      .execute();
    for (const row of rows) {
      const words = new Set([...(out.get(row.kept) ?? []), ...retaliationWords(row.quote)]);
      out.set(row.kept, [...words]);
    }
  }
  return out;
}

/** The sides, or a conflict error naming why no model can be fitted. */
export async function requireSides(db: Db): Promise<string[]> {
  const sides = await loadSides(db);
  if (sides.length === 0) {
    throw new TruceError('conflict', 'no party has the role "belligerent": there are no sides to model');
  }
  return sides;
}
