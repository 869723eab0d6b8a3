/** What releases read of the responses: the counted ones of a round, or a frozen list of ids, in id order. */
import type { Connection } from 'mongoose';
import type { TalliedResponse } from '../../../survey-forms/tally';
import { countedFilter, responseModelOn } from '../responses/response.model';

/** A response as a release tallies it, with its id. */
export type ReleasedResponse = TalliedResponse & { _id: string };

const PROJECTION = { provinceCode: 1, answers: 1, weight: 1 } as const;
const IDS_PER_READ = 1_000;

export type ReleaseResponseRepository = ReturnType<typeof createReleaseResponseRepository>;

export function createReleaseResponseRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /** The responses of a round's province that count in the figures now (clear or approved), in id order. */
    streamCounted(roundId: string, provinceCode: string): AsyncIterable<ReleasedResponse> {
      return Responses.find(countedFilter(roundId, provinceCode), PROJECTION).sort({ _id: 1 }).lean().cursor() as AsyncIterable<ReleasedResponse>;
    },
    /** The stored responses with these ids (of this round), in id order; ids not stored are left out. */
    async *streamByIds(roundId: string, ids: ReadonlyArray<string>): AsyncGenerator<ReleasedResponse> {
      const sorted = [...ids].sort();
      for (let i = 0; i < sorted.length; i += IDS_PER_READ) {
        const docs = await Responses.find({ roundId, _id: { $in: sorted.slice(i, i + IDS_PER_READ) } }, PROJECTION).sort({ _id: 1 }).lean();
        yield* docs as unknown as ReleasedResponse[];
      }
    },
  };
}
