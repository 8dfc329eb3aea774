/** Stable codes of query-service problems (ADR 0004). */
export const QueryErrorCode = {
  QuestionNotUnderstood: 'QUESTION_NOT_UNDERSTOOD',
  OutOfScope: 'QUERY_OUT_OF_SCOPE',
  WarehouseUnavailable: 'WAREHOUSE_UNAVAILABLE',
  NotRankable: 'QUERY_TOO_LARGE_TO_RANK',
  CacheUnavailable: 'CACHE_UNAVAILABLE',
} as const;
