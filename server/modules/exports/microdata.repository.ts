/** What a microdata export reads of the stored responses: the counted ones, with only what microdata may show. */
import type { Connection } from 'mongoose';
import { countedFilter, responseModelOn } from '../responses/response.model';
import { MICRODATA_PROJECTION, type MicrodataSource } from './microdata';

export type MicrodataRepository = ReturnType<typeof createMicrodataRepository>;

export function createMicrodataRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /**
     * Counted responses of a round by province, then id (the tally's index serves the sort), with only
     * what microdata may show.
     */
    streamForMicrodata(roundId: string, batchSize = 1000): AsyncIterable<MicrodataSource> {
      return Responses.find(countedFilter(roundId), MICRODATA_PROJECTION).sort({ provinceCode: 1, _id: 1 }).lean().cursor({ batchSize }) as AsyncIterable<MicrodataSource>;
    },
    async countCounted(roundId: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId));
    },
  };
}
