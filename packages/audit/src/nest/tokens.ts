/** The validated audit config (`AuditConfig`). */
export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');
/** The service's Postgres as the audit core sees it (`AuditDb`). */
export const AUDIT_DB = Symbol('AUDIT_DB');
/** The checkpoint signing key (`AuditSigningKey`). */
export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
