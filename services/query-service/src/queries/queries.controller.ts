import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@casebook/auth';
import { bestEffort, ProblemError } from '@casebook/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Inject } from '@nestjs/common';
import { CONFIG } from '@casebook/platform';
import type { QueryConfig } from '../config';
import { canonicalFromInput } from '../questions/canonical-input';
import type { CanonicalQuery } from '../questions/canonical-query';
import { parseQuestion, QuestionNotUnderstood } from '../questions/question-parser';
import { canonicalTimeZone } from '../questions/time-zone';
import { WarehouseUnavailable } from '../warehouse/warehouse.client';
import { cacheStatus } from './cache-status';
import { type Answer, QueriesService } from './queries.service';
import { QueryAnswerDto, QueryRequestDto } from './queries.dto';
import { QueryErrorCode } from './query-errors';
import { toResultRow, topOf } from './result-shape';
import { applyScope, principalOf, scopeOf } from './scope';

@ApiTags('queries')
@ApiBearerAuth()
@Controller({ path: 'queries', version: '1' })
export class QueriesController {
  constructor(
    private readonly queries: QueriesService,
    @Inject(CONFIG) private readonly config: QueryConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @RequirePermission('query', 'Warehouse', { scoped: true })
  @ApiOperation({
    summary: 'Answer an analytics question (or a canonical query) from the cache or the warehouse',
    description:
      'Scoped to what the caller may see (region from the token, or from the user a service token acts for). ' +
      'Every answer carries `Cache-Status` (RFC 9211). With `Prefer: respond-async`, a slow answer returns 202 ' +
      'and keeps computing; repeat the request after `Retry-After`.',
  })
  @ApiHeader({ name: 'Prefer', required: false, description: '`respond-async` to get 202 instead of waiting.' })
  @ApiOkResponse({ type: QueryAnswerDto })
  @ApiAcceptedResponse({ description: 'Still computing; retry after Retry-After seconds.' })
  async ask(
    @Body() body: QueryRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('prefer') prefer?: string,
  ): Promise<QueryAnswerDto | { status: 'running' }> {
    const scope = scopeOf(principalOf(request));
    const query = applyScope(this.understand(body), scope);
    const answering = this.queries.answer(query, scope, { limit: body.limit, cursor: body.cursor });

    let answer: Answer;
    try {
      answer = /respond-async/i.test(prefer ?? '') ? await this.within(answering) : await answering;
    } catch (error) {
      if (error === STILL_RUNNING) {
        // Q16.1: the load goes on in the background and fills the cache; the retry is a hit.
        void bestEffort(answering, 'query.background-answer');
        void reply
          .status(202)
          .header('Retry-After', '1')
          .header('Cache-Status', 'casebook; fwd=miss; detail="running"');
        return { status: 'running' };
      }
      if (error instanceof WarehouseUnavailable) {
        // Q16.4: nothing stale to fall back on.
        throw new ProblemError({
          status: 503,
          code: QueryErrorCode.WarehouseUnavailable,
          detail: 'The data warehouse is unavailable and no earlier answer to this question is cached.',
          headers: { 'Retry-After': String(error.retryAfterS) },
        });
      }
      throw error;
    }
    return this.present(query, answer, reply);
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
        status: 422,
        code: QueryErrorCode.QuestionNotUnderstood,
        detail: 'The question could not be turned into one query; see errors[].',
        errors: error.problems.map((message) => ({ field: 'question', in: 'body' as const, message })),
      });
    }
  }

  private within<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        // eslint-disable-next-line no-restricted-syntax -- moves to withDeadline with the thin-controller change
        timer = setTimeout(() => reject(STILL_RUNNING), this.config.QUERY_ASYNC_AFTER_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private present(query: CanonicalQuery, answer: Answer, reply: FastifyReply): QueryAnswerDto {
    const { cache } = answer;
    void reply.header('Cache-Status', cacheStatus(cache, answer.key, answer.partial, answer.bypass));
    if (cache.outcome !== 'miss') void reply.header('Age', String(Math.floor(cache.ageMs / 1000)));
    const rows = topOf(
      query,
      answer.rows.map((row) => toResultRow(query, row)),
    );
    const stale = cache.outcome === 'stale';
    return {
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
    };
  }
}

const STILL_RUNNING = Symbol('still running');
