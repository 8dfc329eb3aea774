import { compileSnapshot, defaultRuleSets, evaluate, loadDefaultModel, StreamModerator } from '@casebook/moderation';

// The README's usage example, kept true.
describe('README example', () => {
  const model = loadDefaultModel();
  const snapshot = compileSnapshot({
    ruleSets: [
      ...defaultRuleSets(model.thresholds),
      {
        id: 'acme',
        region: 'EU',
        rules: [
          { id: 'no-codenames', action: 'block', match: { kind: 'keyword', terms: ['project falcon'] } },
          { id: 'ticket-ids', action: 'redact', match: { kind: 'regex', pattern: String.raw`\bTCK-\d{6}\b` } },
        ],
      },
    ],
    model,
  });
  const context = { direction: 'output' as const, accountRegion: 'EU', plan: 'free' };

  it('When the example text is evaluated, then the disguised email and the ticket id are redacted', () => {
    const verdict = evaluate(snapshot, 'Mail j\u200bohn@ex\u0430mple.com about TCK-123456', context);

    expect(verdict.action).toBe('redact');
    expect(verdict.redactedText).toBe('Mail [email] about [redacted]');
  });

  it('When a reply names the codename while streaming, then the stream stops with the replacement', () => {
    const stream = new StreamModerator(snapshot, context);
    const reply =
      'Here is the plan. '.repeat(20) + 'The launch of Project Falcon is in May. ' + 'More text. '.repeat(20);
    let stopped;
    for (let i = 0; i < reply.length && !stopped; i += 5) stopped = stream.push(reply.slice(i, i + 5)).stopped;

    expect(stopped?.verdict.matches.map((m) => m.ruleId)).toContain('no-codenames');
    expect(stream.end().verdict.action).toBe('block');
    expect(stream.releasedText).not.toMatch(/falcon/i);
  });
});
