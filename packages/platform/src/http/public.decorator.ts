import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'casebook:public';

/**
 * Marks a route (or a whole controller) as reachable without credentials. Everything else is denied
 * unless it declares a permission; the auth guard reads this key.
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
