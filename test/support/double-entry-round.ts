import { serialFor } from '../../survey-forms/serial';
import { makeResponse, makeRound } from '../factories';
import { startTestSystem, type TestSystem } from './system';

/** A paper round where every form is keyed twice, its people, and units of Hà Nội assigned to the first keyer. */
export interface DoubleEntryRound {
  system: TestSystem;
  admin: string;
  analyst: string;
  supervisor: string;
  keyerA: { username: string; token: string };
  keyerB: { username: string; token: string };
  roundId: string;
  /** A keyed paper form of a unit, carrying its serial. */
  keyed(unitId: string, answers: Record<string, unknown>): Record<string, unknown>;
}

export async function startDoubleEntryRound(unitIds: ReadonlyArray<string>): Promise<DoubleEntryRound> {
  const system = await startTestSystem();
  const admin = await system.login('admin', 'admin-password-1');
  const analyst = await system.userToken('analyst');
  const supervisor = await system.userToken('supervisor', ['01']);
  const keyerA = await system.createUser('enumerator', ['01']);
  const keyerB = await system.createUser('enumerator', ['01']);
  const round = makeRound({ modes: ['capi', 'papi'], doubleEntryShare: 100 });
  const roundId = String(round.id);
  const auth = { Authorization: `Bearer ${admin}` };
  await system.http().post('/api/v1/rounds').set(auth).send(round).expect(201);
  const rows = unitIds.map((id, i) => `${id},01,1,1,1,${String.fromCharCode(65 + i)},,,`);
  const csv = ['unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure', ...rows].join('\n');
  await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(auth).send({ csv }).expect(200);
  await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(auth).send({ enumerator: keyerA.username, unitIds }).expect(200);
  const keyed = (unitId: string, answers: Record<string, unknown>) => makeResponse(roundId, '01', answers, { sampleUnitId: unitId, mode: 'papi', serial: serialFor(roundId, unitId) });
  return { system, admin, analyst, supervisor, keyerA, keyerB, roundId, keyed };
}
