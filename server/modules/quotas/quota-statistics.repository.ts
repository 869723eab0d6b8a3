/** Supervision statistics over stored responses: counts per quota cell, per day and per enumerator. */
import type { Connection } from 'mongoose';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { WITHDRAWN_STATUSES, type ReviewStatus } from '../../../survey-forms/review-status';
import type { FieldScope } from '../../../survey-forms/field-scope';
import { scopeMatch } from '../../db/scope-match';
import { responseModelOn } from '../responses/response.model';

export type QuotaStatisticsRepository = ReturnType<typeof createQuotaStatisticsRepository>;

export function createQuotaStatisticsRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /**
     * A round's responses counted per cell (province × the dimension items' answers), review state and
     * whether a rule flagged them: one aggregation over stored responses, so counts are exact whatever
     * was submitted at the same time, and equal to a recount.
     */
    async countByCell(
      roundId: string,
      dimensions: { servingLevel: string; serviceField: string; respondentType: string },
      scope: FieldScope | undefined,
      submittedBy?: string,
    ): Promise<Array<{ provinceCode: string; postOffice: string | null; servingLevel: AnswerCode | null; serviceField: AnswerCode | null; respondentType: AnswerCode | null; reviewStatus: ReviewStatus; flagged: boolean; responses: number }>> {
      type Row = { _id: { p: string; o?: string | null; l?: AnswerCode | null; f?: AnswerCode | null; t?: AnswerCode | null; s?: ReviewStatus | null; x: boolean }; n: number };
      const rows = await Responses.aggregate<Row>([
        { $match: { roundId, ...scopeMatch(scope), ...(submittedBy !== undefined ? { submittedBy } : {}) } },
        {
          $group: {
            _id: {
              p: '$provinceCode',
              o: '$postOffice',
              l: `$answers.${dimensions.servingLevel}`,
              f: `$answers.${dimensions.serviceField}`,
              t: `$answers.${dimensions.respondentType}`,
              s: '$reviewStatus',
              x: { $gt: [{ $size: { $ifNull: ['$qualityFlags', []] } }, 0] },
            },
            n: { $sum: 1 },
          },
        },
      ]);
      return rows.map((r) => ({
        provinceCode: r._id.p,
        postOffice: r._id.o ?? null,
        servingLevel: r._id.l ?? null,
        serviceField: r._id.f ?? null,
        respondentType: r._id.t ?? null,
        reviewStatus: r._id.s ?? 'unchecked',
        flagged: r._id.x,
        responses: r.n,
      }));
    },
    /** Interviews not rejected per province, serving level, service field and day they ended (Vietnam time, UTC+7). */
    async dailyByCell(
      roundId: string,
      dimensions: { servingLevel: string; serviceField: string },
      scope: FieldScope | undefined,
      submittedBy?: string,
    ): Promise<Array<{ provinceCode: string; postOffice: string | null; servingLevel: AnswerCode | null; serviceField: AnswerCode | null; day: string; responses: number }>> {
      const rows = await Responses.aggregate<{ _id: { p: string; o?: string | null; l?: AnswerCode | null; f?: AnswerCode | null; d: string }; n: number }>([
        { $match: { roundId, reviewStatus: { $nin: [...WITHDRAWN_STATUSES] }, ...scopeMatch(scope), ...(submittedBy !== undefined ? { submittedBy } : {}) } },
        {
          $group: {
            _id: {
              p: '$provinceCode',
              o: '$postOffice',
              l: `$answers.${dimensions.servingLevel}`,
              f: `$answers.${dimensions.serviceField}`,
              d: { $dateToString: { format: '%Y-%m-%d', date: '$interviewEndedAt', timezone: '+07:00' } },
            },
            n: { $sum: 1 },
          },
        },
      ]);
      return rows.map((r) => ({ provinceCode: r._id.p, postOffice: r._id.o ?? null, servingLevel: r._id.l ?? null, serviceField: r._id.f ?? null, day: r._id.d, responses: r.n }));
    },
    /**
     * The provinces where a response was stored, checked or decided after `since`: what a dashboard
     * must read again. Each condition is served by its own index (storedAt, checkedAt, review.at).
     */
    async provincesChangedSince(roundId: string, scope: FieldScope | undefined, since: Date): Promise<string[]> {
      const codes = await Responses.distinct('provinceCode', {
        roundId,
        ...scopeMatch(scope),
        $or: [{ storedAt: { $gt: since } }, { checkedAt: { $gt: since } }, { 'review.at': { $gt: since } }],
      });
      return codes.map(String).sort();
    },
    /** Per enumerator: responses, flagged ones, rejected ones, days with interviews (Vietnam time). */
    async countByEnumerator(
      roundId: string,
      scope: FieldScope | undefined,
    ): Promise<Array<{ username: string; provinceCode: string; postOffice: string | null; responses: number; flagged: number; rejected: number; activeDays: number; lastDay: string }>> {
      const day = { $dateToString: { format: '%Y-%m-%d', date: '$interviewEndedAt', timezone: '+07:00' } };
      const rows = await Responses.aggregate<{ _id: string; p: string; o: string | null; n: number; flagged: number; rejected: number; days: string[] }>([
        { $match: { roundId, ...scopeMatch(scope) } },
        {
          $group: {
            _id: '$submittedBy',
            // An enumerator works in one province and post office; the first seen names them.
            p: { $first: '$provinceCode' },
            o: { $first: '$postOffice' },
            n: { $sum: 1 },
            flagged: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ['$qualityFlags', []] } }, 0] }, 1, 0] } },
            rejected: { $sum: { $cond: [{ $in: ['$reviewStatus', [...WITHDRAWN_STATUSES]] }, 1, 0] } },
            days: { $addToSet: day },
          },
        },
      ]);
      return rows
        .map((r) => ({ username: r._id, provinceCode: r.p, postOffice: r.o ?? null, responses: r.n, flagged: r.flagged, rejected: r.rejected, activeDays: r.days.length, lastDay: [...r.days].sort().at(-1) ?? '' }))
        .sort((a, b) => a.username.localeCompare(b.username));
    },
  };
}
