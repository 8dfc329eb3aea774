import { z } from 'zod';

/** Custom claims of casebook access tokens (registered claims are checked by jose). */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  typ: z.enum(['user', 'service']),
  roles: z.array(z.string()).default([]),
  region: z.string().optional(),
  /** Q2.1: the user's authorisation version when the token was issued; an older one is refused. */
  authz_ver: z.number().int().nonnegative().optional(),
  scope: z.string().optional(),
  /** RFC 8693 actor-style claim for a service acting for a user. */
  act: z.object({ sub: z.string(), roles: z.array(z.string()), region: z.string().optional() }).optional(),
});

export type AccessClaims = z.infer<typeof accessClaimsSchema> & { exp: number; iat: number };
