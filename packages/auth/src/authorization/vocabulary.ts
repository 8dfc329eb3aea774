import type { MongoAbility } from '@casl/ability';

/**
 * Everything a permission can be about. `all` is CASL's wildcard subject; the rest are the resources of
 * the three services. A role that names anything else is rejected (a typo would otherwise grant nothing
 * and nobody would notice).
 */
export const SUBJECTS = [
  'all',
  'User',
  'Role',
  'ApiKey',
  'Conversation',
  'Message',
  'Insight',
  'Warehouse',
  'Cache',
  'AuditEvent',
  'Checkpoint',
  'RuleSet',
  'ReviewItem',
  'Moderation',
  'Intent',
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** `manage` is CASL's wildcard action; `query` runs warehouse queries, `erase` is GDPR erasure. */
export const ACTIONS = ['manage', 'create', 'read', 'update', 'delete', 'query', 'export', 'erase'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** A scalar a condition may compare with. */
export type ConditionValue = string | number | boolean;

/**
 * The condition language roles are written in: per field, equality or one of `$eq`, `$ne`, `$in`.
 * Several fields are ANDed. Strings may be templates filled from the principal (`'${user.region}'`).
 * Nothing else (no `$where`, regex, `$or`, nested paths) so every rule can also become SQL.
 */
export type FieldCondition = ConditionValue | { $eq?: ConditionValue; $ne?: ConditionValue; $in?: ConditionValue[] };
export type RuleConditions = Record<string, FieldCondition>;

/** One row of the `permissions` table. */
export interface PermissionRule {
  action: string;
  subject: string;
  conditions?: Record<string, unknown> | null;
  /** A deny rule (`cannot`). Deny overrides allow, whichever role either came from. */
  inverted?: boolean;
  /** Why a deny exists; shown in the 403 detail. */
  reason?: string;
}

/** One row of the `roles` table with its permissions; `parent` is the role it inherits from. */
export interface RoleDefinition {
  name: string;
  parent?: string | null;
  description?: string;
  permissions: PermissionRule[];
}

/** Who the ability is for: structurally a subset of `Principal` (roles as granted, not expanded). */
export interface SubjectAttributes {
  id: string;
  roles: string[];
  region?: string | null;
}

export type AppAbility = MongoAbility<[string, string | object]>;
