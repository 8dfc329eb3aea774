import { Writable } from 'node:stream';

/** A pino destination that keeps every line, so tests can assert on what was logged. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }

  /** Raw text of everything logged; for "this secret appears nowhere" assertions. */
  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }

  find(predicate: (line: Record<string, unknown>) => boolean): Record<string, unknown>[] {
    return this.lines.filter(predicate);
  }
}
