import { defineErrorCodes } from '@casebook/platform';

/** Stable codes of Idempotency-Key failures and the status each maps to (ADR 0004). */
export const IdempotencyErrorCode = defineErrorCodes({
  InFlight: ['IDEMPOTENCY_IN_FLIGHT', 409],
  KeyReused: ['IDEMPOTENCY_KEY_REUSED', 422],
});
