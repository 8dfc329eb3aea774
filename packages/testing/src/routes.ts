import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { REQUIRED_PERMISSION_KEY, type RequiredPermission } from '@casebook/auth';
import { AUDIT_DECISION_KEY, AUDITED_KEY, type AuditDecision, IS_PUBLIC_KEY } from '@casebook/platform';

export interface RouteDeclaration {
  controller: string;
  handler: string;
  method: string;
  path: string;
  isPublic: boolean;
  permission: RequiredPermission | undefined;
  /** Q6.1: `@Audited` (its action), `@AuditedInService` or `@AuditExempt`; undefined when it declares none. */
  audit: { kind: 'route'; action: string } | AuditDecision | undefined;
}

/** Every route of a booted app with what it declares: `@Public()`, a permission, or nothing. */
export function routeInventory(app: INestApplication): RouteDeclaration[] {
  const reflector = app.get(Reflector);
  const routes: RouteDeclaration[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const handlerName of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[handlerName];
        if (typeof handler !== 'function' || handlerName === 'constructor') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
        if (path === undefined || typeof method !== 'number') continue;
        const targets = [handler as (...args: unknown[]) => unknown, controller];
        routes.push({
          controller: controller.name,
          handler: handlerName,
          method: RequestMethod[method] ?? String(method),
          path: `${String(Reflect.getMetadata(PATH_METADATA, controller) ?? '')}/${String(path)}`,
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
          permission: reflector.getAllAndOverride<RequiredPermission | undefined>(REQUIRED_PERMISSION_KEY, targets),
          audit: auditDecisionOf(reflector, targets),
        });
      }
    }
  }
  return routes;
}

function auditDecisionOf(reflector: Reflector, targets: object[]): RouteDeclaration['audit'] {
  const audited = Reflect.getMetadata(AUDITED_KEY, targets[0]!) as { action: string } | undefined;
  if (audited) return { kind: 'route', action: audited.action };
  return reflector.getAllAndOverride<AuditDecision | undefined>(AUDIT_DECISION_KEY, targets as never);
}
