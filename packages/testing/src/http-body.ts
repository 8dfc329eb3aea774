/**
 * For supertest's `.buffer(true).parse(bodyAsText)`: the whole response body as text once the server ends it,
 * e.g. an SSE stream that closes after its final event (supertest would otherwise not buffer that type).
 */
export function bodyAsText(
  res: { on(event: 'data' | 'end', listener: (chunk?: Buffer) => void): unknown },
  callback: (error: Error | null, body: string) => void,
): void {
  let text = '';
  res.on('data', (chunk) => (text += chunk?.toString() ?? ''));
  res.on('end', () => callback(null, text));
}
