import type { RuleSetDefinition } from '../rules';

/** GDPR: personal data of EU residents is not disclosed in replies. */
export const EU_GDPR_RULE_SET: RuleSetDefinition = {
  id: 'eu-gdpr',
  region: 'EU',
  description: 'GDPR: redact personal data in replies; crypto promotions blocked in business hours',
  rules: [
    {
      id: 'gdpr-personal-data',
      direction: 'output',
      action: 'redact',
      match: {
        kind: 'pii',
        types: ['email', 'phone', 'iban', 'person', 'postal_address', 'date_of_birth', 'ip_address'],
      },
    },
    // Q31.2: evaluated on Berlin's wall clock, so the window follows CET/CEST without a code change.
    {
      id: 'crypto-promotion-business-hours',
      direction: 'output',
      action: 'block',
      window: { zone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      match: { kind: 'keyword', terms: ['crypto', 'cryptocurrency', 'bitcoin', 'token presale', 'crypto giveaway'] },
    },
  ],
};
