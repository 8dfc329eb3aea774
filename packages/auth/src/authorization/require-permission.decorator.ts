import { SetMetadata } from '@nestjs/common';

export const REQUIRED_PERMISSION_KEY = 'casebook:permission';

export interface RequiredPermission {
  action: string;
  subject: string;
}

/**
 * Declares what a route needs: `@RequirePermission('read', 'AuditEvent')`. Every route declares this
 * or `@Public()`; the authorization guard denies everything else.
 */
export const RequirePermission = (action: string, subject: string) =>
  SetMetadata(REQUIRED_PERMISSION_KEY, { action, subject } satisfies RequiredPermission);
