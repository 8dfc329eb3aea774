import type { TokenIssuer } from '@casebook/auth';
import { type CallBreaker, callBreaker } from '@casebook/platform';
import type { GroundingData, GroundingQuery } from '../llm';

export class QueryRefused extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | undefined,
  ) {
    super(detail);
  }
}

export class QueryServiceUnavailable extends Error {}

export interface QueryAsker {
  id: string;
  roles: string[];
  region: string | null;
}

interface QueryAnswer {
  query: GroundingQuery;
  columns: string[];
  rows: GroundingData['rows'];
  nextCursor: string | null;
}

/**
 * Asks the query service on behalf of a user: a short-lived service token acting for them (so the
 * query service scopes by the user's region, never by the worker's rights), a timeout, a breaker, and
 * Q9.2 coalescing: identical questions of the same scope in flight at once make one call.
 */
export class QueryClient {
  private readonly inFlight = new Map<string, Promise<GroundingData>>();
  private readonly breaker: CallBreaker<[string, QueryAsker], GroundingData>;

  constructor(
    private readonly options: { baseUrl: string; timeoutMs: number },
    private readonly issuer: TokenIssuer,
  ) {
    this.breaker = callBreaker((question: string, asker: QueryAsker) => this.call(question, asker), {
      timeoutMs: options.timeoutMs,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 10_000,
      volumeThreshold: 5,
      // A refusal (403, 422) is an answer, not a failure of the query service.
      isAnswer: (error: unknown) => error instanceof QueryRefused,
    });
  }

  ask(question: string, asker: QueryAsker): Promise<GroundingData> {
    const key = JSON.stringify([question.trim().toLowerCase().replace(/\s+/g, ' '), asker.region]);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.breaker.fire(question, asker).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  get calls(): number {
    return this.breaker.stats.fires;
  }

  private async call(question: string, asker: QueryAsker): Promise<GroundingData> {
    const token = await this.issuer.issueForService(
      { name: 'chatbot-worker', scopes: ['query:Warehouse'] },
      'query-service',
      asker,
    );
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/v1/queries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
        body: JSON.stringify({ question }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new QueryServiceUnavailable(`query service unreachable: ${(error as Error).message}`);
    }
    if (response.status >= 500) throw new QueryServiceUnavailable(`query service answered ${response.status}`);
    const body = (await response.json()) as QueryAnswer & { detail?: string; code?: string };
    if (!response.ok)
      throw new QueryRefused(response.status, body.detail ?? 'The question was not answered.', body.code);
    return { query: body.query, columns: body.columns, rows: body.rows, truncated: body.nextCursor !== null };
  }

  close(): void {
    this.breaker.shutdown();
  }

  /** Nest calls this on shutdown: the breaker's statistics timer must not keep the process alive. */
  onApplicationShutdown(): void {
    this.close();
  }
}
