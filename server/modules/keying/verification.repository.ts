/** What double entry reads and writes on stored responses: their verification state, and the verified answers. */
import type { Connection } from 'mongoose';
import { UNVERIFIED_STATES, type VerificationState } from '../../../survey-forms/keying';
import { responseModelOn } from '../responses/response.model';
import { touchRoundReplies } from '../rounds/replies-generation';

export type VerificationRepository = ReturnType<typeof createVerificationRepository>;

export function createVerificationRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /** Moves a response from one verification state to another; false when it was not in `from`. */
    async settle(responseId: string, from: VerificationState, to: VerificationState): Promise<boolean> {
      const doc = await Responses.findOneAndUpdate({ _id: responseId, verification: from }, { $set: { verification: to } }, { projection: { roundId: 1 } }).lean();
      if (doc) await touchRoundReplies(connection, doc.roundId);
      return doc !== null;
    },
    /** Writes the verified answers of a response awaiting verification; false when it was not awaiting. */
    async writeVerified(responseId: string, answers: Record<string, unknown>): Promise<boolean> {
      const doc = await Responses.findOneAndUpdate({ _id: responseId, verification: 'awaiting-verification' }, { $set: { verification: 'verified', answers } }, { projection: { roundId: 1 } }).lean();
      if (doc) await touchRoundReplies(connection, doc.roundId);
      return doc !== null;
    },
    /** Responses of a round left out of the figures until double entry is done, by verification state. */
    async countUnverified(roundId: string): Promise<{ awaitingSecondKeying: number; awaitingVerification: number }> {
      const [second, verification] = await Promise.all(UNVERIFIED_STATES.map((state) => Responses.countDocuments({ roundId, verification: state })));
      return { awaitingSecondKeying: second ?? 0, awaitingVerification: verification ?? 0 };
    },
  };
}
