import { SetMetadata } from '@nestjs/common';
import { REQUIRED_PERMISSION_KEY, type RequiredPermission } from './require-permission.decorator';

/** The permission every signed-in caller holds: routes about the caller themselves (`/v1/me`, logout everywhere). */
export const ANY_AUTHENTICATED: RequiredPermission = { action: 'authenticated', subject: 'self', scoped: true };

/** Declares a route open to every authenticated caller, and to nobody else. */
export const Authenticated = () => SetMetadata(REQUIRED_PERMISSION_KEY, ANY_AUTHENTICATED);
