import { defineErrorCodes } from '@casebook/platform';

/** Stable codes of query-service problems and the status each maps to (ADR 0004). */
export const QueryErrorCode = defineErrorCodes({
  QuestionNotUnderstood: ['QUESTION_NOT_UNDERSTOOD', 422],
  OutOfScope: ['QUERY_OUT_OF_SCOPE', 403],
  WarehouseUnavailable: ['WAREHOUSE_UNAVAILABLE', 503],
  NotRankable: ['QUERY_TOO_LARGE_TO_RANK', 422],
  CacheUnavailable: ['CACHE_UNAVAILABLE', 503],
});

export type QueryErrorCode = (typeof QueryErrorCode)[keyof typeof QueryErrorCode];
