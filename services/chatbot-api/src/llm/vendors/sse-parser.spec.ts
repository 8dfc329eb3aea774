import { SseParser } from './sse-parser';

const bytes = (text: string) => new TextEncoder().encode(text);

function parseInPieces(text: string, size: number) {
  const parser = new SseParser();
  const all = bytes(text);
  const events = [];
  for (let i = 0; i < all.length; i += size) events.push(...parser.feed(all.subarray(i, i + size)));
  events.push(...parser.end());
  return events;
}

describe('SseParser', () => {
  it('When events end in LF (OpenAI) or CRLF (Gemini), then both parse to the same events', () => {
    const lf = 'data: {"a":1}\n\ndata: [DONE]\n\n';
    const crlf = 'data: {"a":1}\r\n\r\ndata: [DONE]\r\n\r\n';

    expect(parseInPieces(lf, 1_000)).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
    expect(parseInPieces(crlf, 1_000)).toEqual(parseInPieces(lf, 1_000));
  });

  it('When the network splits a CRLF or a multi-byte character between chunks, then nothing is lost or doubled', () => {
    const text = 'data: {"text":"Ingresos 1,23 M€ — ñ 😀"}\r\n\r\ndata: {"text":"fin"}\r\n\r\n';

    for (const size of [1, 2, 3, 5, 7]) {
      expect(parseInPieces(text, size)).toEqual([
        { event: 'message', data: '{"text":"Ingresos 1,23 M€ — ñ 😀"}' },
        { event: 'message', data: '{"text":"fin"}' },
      ]);
    }
  });

  it('When a server sends comments, named events, ids and multi-line data, then they follow the SSE rules', () => {
    const text = ': keep-alive\n\nevent: error\nid: 7\ndata: line one\ndata:line two\n\ndata: last without blank line';

    expect(parseInPieces(text, 4)).toEqual([{ event: 'error', id: '7', data: 'line one\nline two' }]);
  });
});
