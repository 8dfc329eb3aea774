import type { RuleSetDefinition } from '../rules';

/** LGPD: Brazilian personal data is not disclosed in replies. */
export const BR_LGPD_RULE_SET: RuleSetDefinition = {
  id: 'br-lgpd',
  region: 'BR',
  description: 'LGPD: redact CPF, CNPJ and contact data in replies',
  rules: [
    {
      id: 'lgpd-personal-data',
      direction: 'output',
      action: 'redact',
      match: { kind: 'pii', types: ['br_cpf', 'br_cnpj', 'phone', 'email'] },
    },
  ],
};
