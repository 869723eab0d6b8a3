/** The verification queue of double-keyed paper forms, the supervisor's decision, keying error rates and the serial look-up. */
import type { Logger } from 'pino';
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { errorRatesOfCounts, isDoubleKeyed, type KeyerErrorRate } from '../../../survey-forms/keying';
import { parseSerial } from '../../../survey-forms/serial';
import type { JobProducer } from '../../jobs/job-contract';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import type { ResponseRepository } from '../responses/response.repository';
import type { AuditRepository } from '../review/audit.repository';
import { assertProvinceInScope, provincesToShow } from '../review/review.service';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import { sampleUnitKey } from '../samples/sample-unit.model';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { KeyingRepository, SecondKeyingRecord } from './keying.repository';
import { requestRecompute } from './keying.service';
import type { VerificationRepository } from './verification.repository';

export interface VerificationDeps {
  rounds: RoundRepository;
  responses: ResponseRepository;
  keyings: KeyingRepository;
  verification: VerificationRepository;
  sampleUnits: SampleUnitRepository;
  audit: AuditRepository;
  forms: FormCatalogue;
  jobs: JobProducer;
  logger: Logger;
  now?: () => Date;
}

export async function listVerification(
  deps: VerificationDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { province?: string; offset: number; limit: number },
): Promise<{ total: number; awaitingSecondKeying: number; items: SecondKeyingRecord[] }> {
  const round = await getRound(deps, roundId);
  const [page, counts] = await Promise.all([
    deps.keyings.listAwaiting(round.id, provincesToShow(user, query.province).provinces, query),
    deps.verification.countUnverified(round.id),
  ]);
  return { ...page, awaitingSecondKeying: counts.awaitingSecondKeying };
}

/**
 * A supervisor's reading of the paper: a value for every differing item (either keying's, or typed
 * from the paper). The verified answers must pass the questionnaire's checks; they replace the
 * response's answers, the form counts from now on, and the audit log keeps both keyings' values.
 * A form decided meanwhile by someone else is a 409 `stale_decision`.
 */
export async function decideVerification(
  deps: VerificationDeps,
  user: AuthenticatedUser,
  roundId: string,
  responseId: string,
  values: Readonly<Record<string, unknown>>,
): Promise<SecondKeyingRecord> {
  const round = await getRound(deps, roundId);
  const record = await deps.keyings.findByResponse(responseId);
  if (!record || record.roundId !== round.id) throw notFound(`Double-keyed form ${responseId} of round ${roundId}`);
  assertProvinceInScope(user, record.provinceCode);
  if (record.state !== 'awaiting-verification') throw new HttpProblem('stale_decision', `Form ${record.serial} is ${record.state}, not awaiting verification: reload it.`);
  const response = await deps.responses.findById(responseId);
  if (!response) throw notFound(`Response ${responseId}`);

  const differing = new Set(record.differences.map((d) => d.itemId));
  const problems: CataloguedProblem[] = [];
  for (const itemId of differing) if (!(itemId in values)) problems.push({ path: `/body/values/${itemId}`, code: 'required', message: 'the keyings differ here: give the paper\'s value' });
  for (const itemId of Object.keys(values)) if (!differing.has(itemId)) problems.push({ path: `/body/values/${itemId}`, code: 'not_allowed', message: 'the keyings agree here' });
  if (problems.length > 0) throw validationFailed(problems);

  const answers: Record<string, unknown> = { ...response.answers };
  for (const [itemId, value] of Object.entries(values)) {
    if (value === null) delete answers[itemId];
    else answers[itemId] = value;
  }
  const form = deps.forms.get(response.formId, response.formVersion);
  const invalid = form ? form.validateAnswers(answers) : [];
  if (invalid.length > 0) throw validationFailed(invalid.map((p) => ({ ...p, path: `/body/values${p.path.replace(/^\/answers/, '')}` })));

  const at = (deps.now ?? (() => new Date()))();
  const decided = await deps.keyings.decide(record.id, { by: user.username, at, values: { ...values } });
  if (!decided) throw new HttpProblem('stale_decision', `Form ${record.serial} was verified by someone else meanwhile; reload it.`);
  await deps.verification.writeVerified(responseId, answers);
  await deps.audit.append([
    {
      at,
      actor: user.username,
      actorRole: user.role,
      action: 'response.verified',
      roundId: round.id,
      provinceCode: record.provinceCode,
      subject: `response/${responseId}`,
      before: { verification: 'awaiting-verification', differences: record.differences, firstKeyer: record.firstKeyer, secondKeyer: record.secondKeyer },
      after: { verification: 'verified', values },
      reason: null,
    },
  ]);
  await requestRecompute(deps, decided, 'verified');
  return decided;
}

/**
 * Keying error rate per keyer over the round's double-keyed forms in the user's provinces (or the one
 * asked for), from the counters kept as second keyings are compared: a read of one small document
 * per keyer and province.
 */
export async function keyingErrors(deps: VerificationDeps, user: AuthenticatedUser, roundId: string, province?: string): Promise<KeyerErrorRate[]> {
  const round = await getRound(deps, roundId);
  return errorRatesOfCounts(await deps.keyings.keyerCounts(round.id, provincesToShow(user, province).provinces));
}

/** What a keyer's app needs to open a paper form by its serial, and which keying it needs. */
export async function lookUpKeyedForm(deps: VerificationDeps, user: AuthenticatedUser, serial: string) {
  const reading = parseSerial(serial);
  if (!reading.ok) throw validationFailed([{ path: '/query/serial', code: reading.code, message: reading.code === 'wrong_check_digit' ? 'the check digits are wrong' : 'is not a serial' }]);
  const round = await getRound(deps, reading.roundId);
  const unit = (await deps.sampleUnits.findUnits([sampleUnitKey(round.id, reading.unitId)])).get(sampleUnitKey(round.id, reading.unitId));
  if (!unit) throw notFound(`Sample unit ${reading.unitId} of round ${round.id}`);
  if (user.role !== 'admin' && !user.provinces.includes(unit.provinceCode)) throw new HttpProblem('forbidden', `Province ${unit.provinceCode} is not one of yours.`);
  const first = unit.responseId ? await deps.responses.findById(unit.responseId) : undefined;
  const second = first ? await deps.keyings.findByResponse(first.id) : undefined;
  const doubleKeyed = isDoubleKeyed(serial.trim(), round.doubleEntryShare);
  const keying: 'first' | 'second' | 'done' = !first ? 'first' : first.verification === 'awaiting-second-keying' ? 'second' : 'done';
  return {
    serial: serial.trim(),
    roundId: round.id,
    unitId: unit.unitId,
    provinceCode: unit.provinceCode,
    formId: round.formId,
    formVersion: round.formVersion,
    doubleKeyed,
    keying,
    keyedByYou: first?.submittedBy === user.username || second?.secondKeyer === user.username,
  };
}
