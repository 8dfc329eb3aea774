import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Names the region of a region-scoped analyst; without it the caller is a global admin. */
export const BENCH_REGION_HEADER = 'x-bench-region';

/**
 * Bench only, never part of a service: signs every request in as one admin (or, with the header, an analyst
 * of that region), so a bench measures the cache, not token verification.
 */
@Injectable()
export class BenchPrincipal implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const region = request.headers[BENCH_REGION_HEADER];
    request.principal =
      typeof region === 'string'
        ? { kind: 'user', id: `bench-${region}`, roles: ['analyst'], region }
        : { kind: 'user', id: 'bench', roles: ['admin'] };
    return true;
  }
}
