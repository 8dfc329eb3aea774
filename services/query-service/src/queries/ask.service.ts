import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@casebook/auth';
import { bestEffort, CONFIG, DeadlineExceeded, type HttpReply, ProblemError, withDeadline } from '@casebook/platform';
import type { QueryConfig } from '../config';
import { canonicalFromInput } from '../questions/canonical-input';
import type { CanonicalQuery } from '../questions/canonical-query';
import { parseQuestion, QuestionNotUnderstood } from '../questions/question-parser';
import { canonicalTimeZone } from '../questions/time-zone';
import { WarehouseUnavailable } from '../warehouse/warehouse.client';
import { cacheStatus } from './cache-status';
import type { QueryAnswerDto, QueryRequestDto } from './queries.dto';
import { type Answer, QueriesService } from './queries.service';
import { QueryErrorCode } from './query-errors';
import { toResultRow, topOf } from './result-shape';
import { applyScope, scopeOf } from './scope';

/** The answer still being computed after `Prefer: respond-async` waited its budget. */
export interface StillRunning {
  status: 'running';
}

// Names this deadline, so a deadline missed deeper down (the warehouse's own) is not taken for it.
const RESPOND_ASYNC = 'respond-async answer';

/**
 * `POST /v1/queries` from request to response: the question (or canonical query) understood, scoped to
 * the caller, answered through the cache, and shaped with its `Cache-Status` and `Age` headers.
 */
@Injectable()
export class AskService {
  constructor(
    private readonly queries: QueriesService,
    @Inject(CONFIG) private readonly config: QueryConfig,
  ) {}

  async ask(
    body: QueryRequestDto,
    principal: Principal,
    prefer: string | undefined,
  ): Promise<HttpReply<QueryAnswerDto | StillRunning>> {
    const scope = scopeOf(principal);
    const query = applyScope(this.understand(body), scope);
    const answering = this.queries.answer(query, scope, { limit: body.limit, cursor: body.cursor });

    let answer: Answer;
    try {
      answer = /respond-async/i.test(prefer ?? '')
        ? await withDeadline(answering, this.config.QUERY_ASYNC_AFTER_MS, RESPOND_ASYNC)
        : await answering;
    } catch (error) {
      if (error instanceof DeadlineExceeded && error.what === RESPOND_ASYNC) {
        // Q16.1: the load goes on in the background and fills the cache; the retry is a hit.
        void bestEffort(answering, 'query.background-answer');
        return {
          status: 202,
          headers: { 'Retry-After': '1', 'Cache-Status': 'casebook; fwd=miss; detail="running"' },
          body: { status: 'running' },
        };
      }
      if (error instanceof WarehouseUnavailable) {
        // Q16.4: nothing stale to fall back on.
        throw new ProblemError({
          code: QueryErrorCode.WarehouseUnavailable,
          detail: 'The data warehouse is unavailable and no earlier answer to this question is cached.',
          headers: { 'Retry-After': String(error.retryAfterS) },
        });
      }
      throw error;
    }
    return this.present(query, answer);
  }

  private understand(body: QueryRequestDto): CanonicalQuery {
    if ((body.question === undefined) === (body.query === undefined)) {
      throw ProblemError.validation([
        { field: 'question', in: 'body', message: 'send either question (with an optional timeZone) or query' },
      ]);
    }
    if (body.query !== undefined) return canonicalFromInput(body.query);
    const timeZone = canonicalTimeZone(body.timeZone ?? 'UTC');
    if (!timeZone) throw ProblemError.validation([{ field: 'timeZone', in: 'body', message: 'not an IANA time zone' }]);
    try {
      return parseQuestion(body.question!, { timeZone, now: Date.now() });
    } catch (error) {
      if (!(error instanceof QuestionNotUnderstood)) throw error;
      throw new ProblemError({
        code: QueryErrorCode.QuestionNotUnderstood,
        detail: 'The question could not be turned into one query; see errors[].',
        errors: error.problems.map((message) => ({ field: 'question', in: 'body' as const, message })),
      });
    }
  }

  private present(query: CanonicalQuery, answer: Answer): HttpReply<QueryAnswerDto> {
    const { cache } = answer;
    const headers: Record<string, string> = {
      'Cache-Status': cacheStatus(cache, answer.key, answer.partial, answer.bypass),
    };
    if (cache.outcome !== 'miss') headers.Age = String(Math.floor(cache.ageMs / 1000));
    const rows = topOf(
      query,
      answer.rows.map((row) => toResultRow(query, row)),
    );
    const stale = cache.outcome === 'stale';
    return {
      status: 200,
      headers,
      body: {
        query: query as unknown as Record<string, unknown>,
        columns: [...query.groupBy, ...query.metrics],
        rows,
        nextCursor: answer.nextCursor,
        freshness: {
          state: stale ? 'stale' : 'fresh',
          ...(stale ? { reason: cache.staleReason === 'loader-error' ? 'warehouse-unavailable' : 'revalidating' } : {}),
          ageSeconds: Math.floor(cache.ageMs / 1000),
          dataVersion: answer.dataVersion,
        },
        cache: {
          key: answer.key,
          outcome: cache.outcome,
          source: cache.source,
          ...(answer.partial && answer.partial.total > 1 ? { partial: answer.partial } : {}),
        },
      },
    };
  }
}
