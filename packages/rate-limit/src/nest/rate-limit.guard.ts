import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@casebook/auth';
import { CommonErrorCode, ProblemError } from '@casebook/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_ROUTE } from '../config';
import { RateLimiter, type RateLimitDecision, type RateLimitSubject } from '../core';
import { ClientIpResolver, rateLimitHeaders, retryAfterSeconds } from '../http';
import { RATE_LIMIT_KEY, type RateLimitMetadata } from './rate-limit.decorator';

/** A service acting for a user spends that user's quota; anyone else spends their own. */
export function subjectOf(principal: Principal | undefined): RateLimitSubject | undefined {
  if (!principal) return undefined;
  if (principal.actingFor) return { kind: 'user', id: principal.actingFor.id, roles: principal.actingFor.roles };
  return { kind: principal.kind, id: principal.id, roles: principal.roles };
}

function rejection(decision: RateLimitDecision, jitterSeconds: number): ProblemError {
  const headers = rateLimitHeaders(decision);
  const retryAfter = retryAfterSeconds(decision.retryAfterMs, jitterSeconds);
  const violated = decision.levels.filter((level) => level.waitMs > 0).map((level) => level.policy);
  if (decision.concurrency?.busy) violated.push('concurrency');
  const capacity = decision.rejectedBy.some((level) => level === 'global' || level === 'role');
  return new ProblemError({
    code: CommonErrorCode.RateLimited,
    detail: capacity
      ? `The service is at capacity; retry after ${retryAfter} seconds.`
      : `Rate limit exceeded (${violated.join(', ')}); retry after ${retryAfter} seconds.`,
    headers: { ...headers, 'Retry-After': String(retryAfter) },
    // draft-ietf-httpapi-ratelimit-headers §5.1 names the policies a rejected request exceeded.
    extensions: { 'violated-policies': violated },
  });
}

/**
 * The global guard: limits every HTTP route by its `@RateLimit(...)` policy (or `default`), keyed by
 * `request.principal` when the auth guard has set it and by client IP otherwise; writes the RateLimit headers on
 * every limited response and answers 429 with `Retry-After` when any level rejects. An in-flight slot taken for
 * the request is given back when its response closes.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly ips: ClientIpResolver;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {
    this.ips = new ClientIpResolver(limiter.options);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const metadata = this.reflector.getAllAndOverride<RateLimitMetadata | false | undefined>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (metadata === false) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!metadata && this.excluded(request.url)) return true;

    const decision = await this.limiter.check({
      route: metadata ? metadata.policy : DEFAULT_ROUTE,
      cost: metadata?.cost,
      subject: subjectOf(request.principal),
      ip: this.ips.resolve(request.raw.socket?.remoteAddress, request.headers['x-forwarded-for']),
    });
    if (!decision.allowed) throw rejection(decision, this.limiter.options.retryJitterSeconds);

    const reply = http.getResponse<FastifyReply>();
    void reply.headers(rateLimitHeaders(decision));
    const lease = decision.lease;
    if (lease) {
      // A client that went away while the check ran has already closed its response: release now, or the
      // slot would stay taken until its lease expires.
      if (reply.raw.closed || reply.raw.destroyed) void this.limiter.release(lease);
      else reply.raw.once('close', () => void this.limiter.release(lease));
    }
    return true;
  }

  private excluded(url: string): boolean {
    return this.limiter.options.excludePaths.some((prefix) => url.startsWith(prefix));
  }
}
