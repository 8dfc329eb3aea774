import type { GateContext } from './outbound-gate';
import { PassThroughGate } from './pass-through.gate';

const context: GateContext = { userId: 'user-1', channel: 'streamed' };

describe('PassThroughGate (the outbound gate until moderation plugs in)', () => {
  it('When a whole text is reviewed, then it is allowed unchanged and the review is observable', async () => {
    const seen: string[] = [];
    const gate = new PassThroughGate({ onReview: (e) => seen.push(`${e.kind}:${e.text}`) });

    await expect(gate.review('Revenue: €2.7M.', { ...context, channel: 'stored' })).resolves.toEqual({
      text: 'Revenue: €2.7M.',
      verdict: 'allow',
    });
    expect(seen).toEqual(['text:Revenue: €2.7M.']);
  });

  it('When a stream is reviewed with a tail window, then the last characters are held back until more text or the end', async () => {
    const review = new PassThroughGate({ holdBackChars: 5 }).openStream(context);

    const released = [];
    for (const token of ['Revenue ', 'in ', 'EMEA ', 'was ', '€2.7M.']) released.push((await review.push(token)).text);
    const tail = await review.end();

    expect(released).toEqual(['Rev', 'enu', 'e in ', 'EMEA', ' was €']);
    expect(tail).toEqual({ text: '2.7M.', verdict: 'allow', stop: false });
    expect(released.join('') + tail.text).toBe('Revenue in EMEA was €2.7M.');
  });

  it('When the window would split an emoji, then the whole character is held back', async () => {
    const review = new PassThroughGate({ holdBackChars: 1 }).openStream(context);

    const first = await review.push('ok 😀');

    expect(first.text).toBe('ok ');
    expect((await review.end()).text).toBe('😀');
  });

  it('When there is no window, then every piece passes at once', async () => {
    const review = new PassThroughGate().openStream(context);

    expect((await review.push('all ')).text).toBe('all ');
    expect((await review.end()).text).toBe('');
  });
});
