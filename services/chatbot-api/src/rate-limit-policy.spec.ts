import { parseRateLimitOptions, Planner } from '@casebook/rate-limit';
import { CHATBOT_RATE_LIMITS } from './rate-limit-policy';

describe('chatbot rate-limit policy', () => {
  it('When the chatbot policy is parsed, then tiers are ordered admin > senior_analyst > analyst > guest (Q5.2)', () => {
    const options = parseRateLimitOptions(CHATBOT_RATE_LIMITS);
    expect(options.tiers.map((tier) => tier.name)).toEqual(['admin', 'senior_analyst', 'analyst', 'guest']);
    const limits = options.tiers.map((tier) => tier.rate.limit);
    expect([...limits].sort((a, b) => b - a)).toEqual(limits);
  });

  it('When a principal holds several roles, then the highest tier wins; unknown roles get the default tier', () => {
    const planner = new Planner(parseRateLimitOptions(CHATBOT_RATE_LIMITS));
    expect(planner.tierOf({ kind: 'user', id: '1', roles: ['guest', 'senior_analyst', 'analyst'] }).name).toBe(
      'senior_analyst',
    );
    expect(planner.tierOf({ kind: 'user', id: '1', roles: ['auditor'] }).name).toBe('guest');
  });
});
