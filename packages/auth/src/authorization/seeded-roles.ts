import type { PermissionRule, RoleDefinition } from './vocabulary';

// Templates are filled from the principal when the ability is built (Q1.3); they are plain strings here.
const OWN = { ownerId: '${user.id}' };
const SELF = { id: '${user.id}' };
const OWN_REGION = { region: '${user.region}' };

const allow = (action: string, subject: string, conditions?: Record<string, unknown>): PermissionRule =>
  conditions ? { action, subject, conditions } : { action, subject };

/**
 * The roles `pnpm start` seeds. Q1.1: `senior_analyst` → `analyst` → `guest`, so each level lists only
 * what it adds. Region-scoped data (insights, warehouse queries) is limited to the principal's region;
 * conversations and messages to their owner. Everything else is additive per role, so users hold several
 * (an analyst who is also an auditor), and `suspended` shows deny precedence (Q1.2): granted on top of any
 * other role, it freezes the account without touching its other grants.
 */
export const SEEDED_ROLES: RoleDefinition[] = [
  {
    name: 'admin',
    description: 'Operates the platform: every action on every subject.',
    permissions: [allow('manage', 'all')],
  },
  {
    name: 'guest',
    description: 'Chats about the intent catalog; sees only their own conversations and profile.',
    permissions: [
      allow('read', 'Intent'),
      allow('create', 'Conversation', OWN),
      allow('read', 'Conversation', OWN),
      allow('create', 'Message', OWN),
      allow('read', 'Message', OWN),
      allow('read', 'User', SELF),
      // GDPR Art. 17: every data subject may erase their own data (DELETE /v1/me/data).
      allow('erase', 'User', SELF),
    ],
  },
  {
    name: 'analyst',
    parent: 'guest',
    description: 'Analyses their own region: insights and warehouse queries scoped to it.',
    permissions: [
      allow('update', 'Conversation', OWN),
      allow('delete', 'Conversation', OWN),
      allow('read', 'Insight', OWN_REGION),
      allow('query', 'Warehouse', OWN_REGION),
    ],
  },
  {
    name: 'senior_analyst',
    parent: 'analyst',
    description: 'Reads insights of every region; exports reports of their own region.',
    permissions: [allow('read', 'Insight'), allow('export', 'Insight', OWN_REGION)],
  },
  {
    name: 'auditor',
    description: 'Reviews the audit trail and verifies its checkpoints; sees users and roles, not content.',
    permissions: [
      allow('read', 'AuditEvent'),
      allow('read', 'Checkpoint'),
      allow('read', 'User'),
      allow('read', 'Role'),
    ],
  },
  {
    name: 'moderator',
    description: 'Works the manual review queue of the moderation service.',
    permissions: [allow('read', 'ReviewItem'), allow('update', 'ReviewItem'), allow('read', 'RuleSet')],
  },
  {
    name: 'compliance_admin',
    description: 'Owns the moderation rule sets (draft, preview, publish, roll back) and may call the moderation API.',
    permissions: [
      allow('manage', 'RuleSet'),
      allow('read', 'ReviewItem'),
      allow('update', 'ReviewItem'),
      allow('create', 'Moderation'),
    ],
  },
  {
    name: 'suspended',
    description: 'Freezes an account: denies everything, whatever else the user holds.',
    permissions: [{ action: 'manage', subject: 'all', inverted: true, reason: 'The account is suspended.' }],
  },
];
