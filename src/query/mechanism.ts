/** The mechanism's working views, derived from records through the access policy: queue, violations, crossings, commitments. */
import { type Kysely, type SqlBool, sql } from 'kysely';
import { visibleTo } from '../access/policy.ts';
import type { Viewer } from '../access/viewer.ts';
import { daysClosed, statusAt } from '../domain/crossing.ts';
import { priorityOf } from '../domain/queue.ts';
import { type InForce, inForce, violationRegister } from '../domain/violation.ts';
import type { Database, IncidentRow, ViolationAttributionRow } from '../store/schema.ts';

type Db = Kysely<Database>;

export type Candidate = {
  incident: Pick<
    IncidentRow,
    'id' | 'title' | 'type' | 'occurred_on' | 'date_precision' | 'status' | 'actor_id'
  >;
  agreementId: string;
  agreementName: string;
  partyId: string;
  inForce: Exclude<InForce, 'not_in_force'>;
  /** The latest monitor decision, or null while it awaits one. */
  attribution: ViolationAttributionRow | null;
};

/**
 * Every (incident, agreement) pair where the incident's date overlaps the agreement and its
 * actor belongs to a party to it. SQL narrows by overlap; domain/violation.ts says in force or boundary.
 */
export async function candidateViolations(
  db: Db,
  viewer: Viewer,
  filter: {
    agreementId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    incidentIds?: string[];
  } = {},
): Promise<Candidate[]> {
  let query = db
    .selectFrom('incidents')
    .innerJoin('actors', 'actors.id', 'incidents.actor_id')
    .innerJoin('agreements', (join) =>
      join
        .on(sql<SqlBool>`agreements.parties @> jsonb_build_array(actors.party_id)`)
        .on(
          sql<SqlBool>`agreements.starts_at < incidents.occurred_on + (CASE incidents.date_precision WHEN 'week' THEN 7 WHEN 'month' THEN 31 ELSE 1 END)`,
        )
        .on(sql<SqlBool>`(agreements.ends_at IS NULL OR agreements.ends_at > incidents.occurred_on)`),
    )
    .select([
      'incidents.id',
      'incidents.title',
      'incidents.type',
      'incidents.occurred_on',
      'incidents.date_precision',
      'incidents.status',
      'incidents.actor_id',
      'actors.party_id',
      'agreements.id as agreement_id',
      'agreements.name as agreement_name',
      'agreements.parties',
      'agreements.starts_at',
      'agreements.ends_at',
    ])
    .where('incidents.merged_into', 'is', null)
    .where(visibleTo(viewer, 'incidents'))
    .where(visibleTo(viewer, 'agreements'));
  if (filter.agreementId) query = query.where('agreements.id', '=', filter.agreementId);
  if (filter.from) query = query.where('incidents.occurred_on', '>=', filter.from);
  if (filter.to) query = query.where('incidents.occurred_on', '<=', filter.to);
  if (filter.incidentIds) {
    if (filter.incidentIds.length === 0) return [];
    query = query.where('incidents.id', 'in', filter.incidentIds);
  }
  const rows = await query.orderBy('incidents.occurred_on').orderBy('incidents.id').execute();
  if (rows.length === 0) return [];
  const decisions = await db
    .selectFrom('violation_attributions')
    .selectAll()
    .where('incident_id', 'in', [...new Set(rows.map((r) => r.id))])
    .orderBy('decided_at')
    .orderBy('ledger_seq')
    .execute();
  const latest = new Map(decisions.map((d) => [`${d.incident_id}|${d.agreement_id}`, d]));
  return rows.flatMap((row): Candidate[] => {
    const state = inForce(
      {
        id: row.agreement_id,
        parties: row.parties as string[],
        startsAt: row.starts_at,
        endsAt: row.ends_at,
      },
      row.occurred_on,
      row.date_precision,
    );
    if (state === 'not_in_force' || !row.party_id) return [];
    return [
      {
        incident: {
          id: row.id,
          title: row.title,
          type: row.type,
          occurred_on: row.occurred_on,
          date_precision: row.date_precision,
          status: row.status,
          actor_id: row.actor_id,
        },
        agreementId: row.agreement_id,
        agreementName: row.agreement_name,
        partyId: row.party_id,
        inForce: state,
        attribution: latest.get(`${row.id}|${row.agreement_id}`) ?? null,
      },
    ];
  });
}

/** Candidates plus the register: attributed violations per party per ISO week, with the incidents behind each count. */
export async function violations(
  db: Db,
  viewer: Viewer,
  filter: { agreementId?: string; from?: string; to?: string } = {},
) {
  const candidates = await candidateViolations(db, viewer, filter);
  const attributed = candidates
    .filter((c) => c.attribution?.decision === 'attributed')
    .map((c) => ({
      partyId: c.attribution!.party_id,
      incidentId: c.incident.id,
      occurredOn: c.incident.occurred_on,
    }));
  return { candidates, register: violationRegister(attributed) };
}

export type QueueItem = { incident: IncidentRow; score: number; reasons: string[] };

/** Open incidents ranked by what needs a decision (domain/queue.ts); refuted and merged ones are done. */
export async function verificationQueue(
  db: Db,
  viewer: Viewer,
  options: { limit?: number | undefined } = {},
): Promise<QueueItem[]> {
  const limit = Math.min(options.limit ?? 50, 500);
  // Open work: not yet verified, or verified with a candidate violation still unattributed.
  const open = await db
    .selectFrom('incidents')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('claims')
        .select(sql<number>`count(DISTINCT claims.source_id)::int`.as('n'))
        .whereRef('claims.incident_id', '=', 'incidents.id')
        .as('sources'),
    )
    .where('merged_into', 'is', null)
    .where('status', '!=', 'refuted')
    .where(visibleTo(viewer, 'incidents'))
    .orderBy('occurred_on', 'desc')
    .limit(5000)
    .execute();
  const candidates = await candidateViolations(db, viewer, { incidentIds: open.map((i) => i.id) });
  const pending = new Map<string, number>();
  for (const c of candidates)
    if (!c.attribution) pending.set(c.incident.id, (pending.get(c.incident.id) ?? 0) + 1);
  return open
    .map(({ sources, ...incident }) => ({
      incident,
      ...priorityOf({
        status: incident.status,
        figuresDisputed: incident.figures_disputed,
        fatalitiesBest: incident.fatalities_best,
        sources: sources ?? 0,
        pendingAgreements: pending.get(incident.id) ?? 0,
      }),
    }))
    .filter((item) => item.incident.status !== 'verified' || (pending.get(item.incident.id) ?? 0) > 0)
    .sort((a, b) => b.score - a.score || b.incident.occurred_on.localeCompare(a.incident.occurred_on))
    .slice(0, limit);
}

/** Each crossing: current status, days closed, the full timeline and its reopening plans. */
export async function crossingsBoard(db: Db, asOf: string = new Date().toISOString()) {
  const [crossings, statuses, plans, phases] = await Promise.all([
    db.selectFrom('places').selectAll().where('kind', '=', 'crossing').orderBy('name').execute(),
    db.selectFrom('crossing_statuses').selectAll().orderBy('since').orderBy('ledger_seq').execute(),
    db.selectFrom('reopening_plans').selectAll().orderBy('created_at').execute(),
    db.selectFrom('reopening_phases').selectAll().orderBy('ordinal').execute(),
  ]);
  return crossings.map((crossing) => {
    const history = statuses.filter((s) => s.place_id === crossing.id);
    return {
      crossing,
      current: statusAt(history, asOf),
      daysClosed: daysClosed(history, asOf),
      history,
      plans: plans
        .filter((p) => p.place_id === crossing.id)
        .map((plan) => ({ ...plan, phases: phases.filter((ph) => ph.plan_id === plan.id) })),
    };
  });
}

/** Commitments the viewer may see; open ones past their due date are marked overdue. */
export async function commitmentsRegister(
  db: Db,
  viewer: Viewer,
  options: { overdue?: boolean; today?: string } = {},
) {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('commitments')
    .selectAll()
    .where(visibleTo(viewer, 'commitments'))
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  const withFlag = rows.map((c) => ({
    ...c,
    overdue: c.status === 'open' && c.due_on !== null && c.due_on < today,
  }));
  return options.overdue ? withFlag.filter((c) => c.overdue) : withFlag;
}
