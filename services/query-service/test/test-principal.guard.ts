import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Principal, REQUIRED_PERMISSION_KEY, type RequiredPermission } from '@casebook/auth';
import { CommonErrorCode, IS_PUBLIC_KEY, ProblemError } from '@casebook/platform';
import type { FastifyRequest } from 'fastify';

/** Header a test sets to say who is calling (JSON of a Principal). */
export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

// Roles that hold each permission in these tests; the real rules come with packages/auth.
const GRANTS: Record<string, string[]> = {
  'query Warehouse': ['admin', 'senior_analyst', 'analyst'],
  'manage Cache': ['admin'],
};

/**
 * TEST ONLY — never shipped in src. Stands in for the auth guard until packages/auth is wired in: it
 * takes the principal from a header and enforces `@RequirePermission` by role, deny by default.
 */
@Injectable()
export class TestPrincipalGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = request.headers[TEST_PRINCIPAL_HEADER];
    if (typeof raw === 'string') request.principal = JSON.parse(raw) as Principal;
    const required = this.reflector.getAllAndOverride<RequiredPermission | undefined>(REQUIRED_PERMISSION_KEY, targets);
    if (!required) throw new ProblemError({ code: CommonErrorCode.Forbidden, detail: 'No permission declared.' });
    const principal = request.principal;
    if (!principal) {
      throw new ProblemError({ code: CommonErrorCode.Unauthenticated, detail: 'No principal.' });
    }
    const roles = principal.kind === 'service' && principal.actingFor ? principal.actingFor.roles : principal.roles;
    if (!roles.some((role) => GRANTS[`${required.action} ${required.subject}`]?.includes(role))) {
      throw new ProblemError({ code: CommonErrorCode.Forbidden, detail: 'Permission denied.' });
    }
    return true;
  }
}
