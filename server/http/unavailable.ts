import { retryLater, type HttpProblem } from './problem';

/**
 * Errors that say MongoDB did not answer in time or could not be reached (the driver's and
 * Mongoose's names): the request is answered 503 `not_ready`, not 500 — nothing is wrong with it,
 * and it may be sent again once MongoDB is back.
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoOperationTimeoutError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
]);

/** Seconds a client is asked to wait before it sends again. */
const RETRY_AFTER_SECONDS = 5;

export function unavailableOf(error: unknown): HttpProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  // Mongoose's own wait for a connection ends with a plain MongooseError saying so.
  const buffering = error.name === 'MongooseError' && /buffering timed out/.test(error.message);
  if (!UNREACHABLE.has(error.name) && !buffering) return undefined;
  return retryLater('not_ready', RETRY_AFTER_SECONDS, 'MongoDB did not answer in time; try again shortly.');
}
