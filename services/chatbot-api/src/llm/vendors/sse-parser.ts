export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Server-sent events as the WHATWG spec parses them: lines end in CRLF, LF or CR (Gemini sends CRLF,
 * OpenAI LF), `:` starts a comment (keep-alives), several `data:` lines join with `\n`, and a blank line
 * dispatches. Bytes are decoded in streaming mode, so a UTF-8 character split across network chunks and
 * a CRLF split across chunks both come out right.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  feed(bytes: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    return this.drain(false);
  }

  /** The stream ended: a last event without its blank line is incomplete and dropped, as the spec says. */
  end(): SseEvent[] {
    this.buffer += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      let end = start;
      while (end < this.buffer.length && this.buffer[end] !== '\n' && this.buffer[end] !== '\r') end += 1;
      if (end >= this.buffer.length) break;
      // A CR at the very end may be the first half of a CRLF; wait for the next chunk to know.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1 && !final) break;
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1);
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const event: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) event.id = this.id;
      this.data = [];
      this.event = '';
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.id = value;
    return undefined;
  }
}
