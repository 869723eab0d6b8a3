/** What double entry reads and writes on stored responses: their verification state, and the verified answers. */
import type { Connection } from 'mongoose';
import { UNVERIFIED_STATES, type VerificationState } from '../../../survey-forms/keying';
import { responseModelOn } from '../responses/response.model';

export type VerificationRepository = ReturnType<typeof createVerificationRepository>;

export function createVerificationRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /** Moves a response from one verification state to another; false when it was not in `from`. */
    async settle(responseId: string, from: VerificationState, to: VerificationState): Promise<boolean> {
      const result = await Responses.updateOne({ _id: responseId, verification: from }, { $set: { verification: to } });
      return result.modifiedCount > 0;
    },
    /** Writes the verified answers of a response awaiting verification; false when it was not awaiting. */
    async writeVerified(responseId: string, answers: Record<string, unknown>): Promise<boolean> {
      const result = await Responses.updateOne({ _id: responseId, verification: 'awaiting-verification' }, { $set: { verification: 'verified', answers } });
      return result.modifiedCount > 0;
    },
    /** Responses of a round left out of the figures until double entry is done, by verification state. */
    async countUnverified(roundId: string): Promise<{ awaitingSecondKeying: number; awaitingVerification: number }> {
      const [second, verification] = await Promise.all(UNVERIFIED_STATES.map((state) => Responses.countDocuments({ roundId, verification: state })));
      return { awaitingSecondKeying: second ?? 0, awaitingVerification: verification ?? 0 };
    },
  };
}
