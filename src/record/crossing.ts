/** Reopening plans for crossings: ordered phases with conditions, and the day each phase began. */
import { z } from 'zod';
import { TruceError } from '../domain/errors.ts';
import { DaySchema, IdSchema, text } from '../domain/text.ts';
import type { ReopeningPhaseRow, ReopeningPlanRow } from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx, type Write } from './transaction.ts';

export const ReopeningPlanInputSchema = z.object({
  placeId: IdSchema,
  name: text(300),
  phases: z
    .array(z.object({ description: text(2000), conditions: z.array(text(1000)).max(30).default([]) }))
    .min(1, 'a plan has at least one phase')
    .max(20),
});

export async function insertReopeningPlan(
  tx: RecordTx,
  input: unknown,
): Promise<{ plan: ReopeningPlanRow; phases: ReopeningPhaseRow[] }> {
  const parsed = parseInput(ReopeningPlanInputSchema, input);
  const place = await mustExist(tx.trx, 'places', parsed.placeId, 'placeId');
  if (place.kind !== 'crossing') {
    throw new TruceError('invalid_input', `placeId: ${place.id} is a ${place.kind}, not a crossing`, {
      field: 'placeId',
    });
  }
  const plan = {
    id: newId('rop'),
    place_id: place.id,
    name: parsed.name,
    created_by: tx.by,
    created_at: new Date().toISOString(),
  };
  const phases = parsed.phases.map((phase, i) => ({
    id: newId('rph'),
    plan_id: plan.id,
    ordinal: i + 1,
    description: phase.description,
    conditions: phase.conditions,
    began_on: null,
  }));
  const writes: Write[] = [
    { op: 'insert', table: 'reopening_plans', row: plan },
    ...phases.map((row): Write => ({ op: 'insert', table: 'reopening_phases', row })),
  ];
  const { seq } = await tx.commit('reopening.planned', { planId: plan.id, placeId: place.id }, writes);
  return { plan: { ...plan, ledger_seq: seq }, phases: phases.map((p) => ({ ...p, ledger_seq: seq })) };
}

export const PhaseBeganInputSchema = z.object({
  planId: IdSchema,
  ordinal: z.number().int().min(1),
  beganOn: DaySchema,
});

/** Phases begin in order: phase n only after phase n-1 began, and not before it. */
export async function insertPhaseBegan(tx: RecordTx, input: unknown): Promise<ReopeningPhaseRow> {
  const parsed = parseInput(PhaseBeganInputSchema, input);
  await mustExist(tx.trx, 'reopening_plans', parsed.planId, 'planId');
  const phases = await tx.trx
    .selectFrom('reopening_phases')
    .selectAll()
    .where('plan_id', '=', parsed.planId)
    .orderBy('ordinal')
    .execute();
  const phase = phases.find((p) => p.ordinal === parsed.ordinal);
  if (!phase)
    throw new TruceError('not_found', `ordinal: the plan has no phase ${parsed.ordinal}`, {
      field: 'ordinal',
    });
  if (phase.began_on)
    throw new TruceError('conflict', `ordinal: phase ${phase.ordinal} began on ${phase.began_on}`, {
      field: 'ordinal',
    });
  const previous = phases.find((p) => p.ordinal === parsed.ordinal - 1);
  if (previous && !previous.began_on) {
    throw new TruceError('conflict', `ordinal: phase ${previous.ordinal} has not begun yet`, {
      field: 'ordinal',
    });
  }
  if (previous?.began_on && parsed.beganOn < previous.began_on) {
    throw new TruceError(
      'invalid_input',
      `beganOn: before phase ${previous.ordinal} began (${previous.began_on})`,
      { field: 'beganOn' },
    );
  }
  const next = { ...phase, began_on: parsed.beganOn };
  const { seq } = await tx.commit(
    'reopening.phase_began',
    { planId: parsed.planId, phaseId: phase.id, ordinal: phase.ordinal },
    [{ op: 'update', table: 'reopening_phases', row: next }],
  );
  return { ...next, ledger_seq: seq };
}

export const createReopeningPlan = mutation(insertReopeningPlan);
export const beginPhase = mutation(insertPhaseBegan);
