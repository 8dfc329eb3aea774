import { SetMetadata } from '@nestjs/common';

export const REQUIRED_PERMISSION_KEY = 'casebook:permission';

export interface RequiredPermission {
  action: string;
  subject: string;
  /**
   * false (default): the caller must hold the permission for every instance of the subject, so a
   * conditional rule (`read Insight {region: …}`) does not open the route. true: a conditional rule is
   * enough, and the handler narrows to the instances allowed (`access.sqlScope(…)` or `access.can(…, object)`).
   */
  scoped: boolean;
}

/**
 * Declares what a route needs: `@RequirePermission('read', 'AuditEvent')`, or for routes that scope
 * their data by the caller's conditions, `@RequirePermission('read', 'Insight', { scoped: true })`.
 * Every route declares this or `@Public()`; the authorization guard denies everything else.
 */
export const RequirePermission = (action: string, subject: string, options: { scoped?: boolean } = {}) =>
  SetMetadata(REQUIRED_PERMISSION_KEY, {
    action,
    subject,
    scoped: options.scoped ?? false,
  } satisfies RequiredPermission);
