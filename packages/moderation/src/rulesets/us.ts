import type { RuleSetDefinition } from '../rules';

/** HIPAA: protected health information is not disclosed in replies. */
export const US_HIPAA_RULE_SET: RuleSetDefinition = {
  id: 'us-hipaa',
  region: 'US',
  description: 'HIPAA: redact identifiers and medical record numbers in replies',
  rules: [
    {
      id: 'hipaa-identifiers',
      direction: 'output',
      action: 'redact',
      match: { kind: 'pii', types: ['us_ssn', 'phone', 'email', 'date_of_birth'] },
    },
    {
      id: 'hipaa-medical-record-number',
      direction: 'output',
      action: 'redact',
      match: { kind: 'regex', pattern: String.raw`\bMRN[:#]?\s*\d{6,10}\b`, flags: 'i' },
    },
    {
      id: 'phi-requested',
      direction: 'input',
      action: 'allow',
      setsFlag: 'phi_requested',
      match: {
        kind: 'keyword',
        terms: ['medical record', 'patient record', 'diagnosis of', 'lab results', 'prescription for'],
      },
    },
    // Q31.3: naming a person after health records were asked for would tie the record to them.
    {
      id: 'phi-person-after-request',
      direction: 'output',
      action: 'block',
      requiresFlag: 'phi_requested',
      match: { kind: 'pii', types: ['person', 'date_of_birth', 'us_ssn'] },
    },
  ],
};
