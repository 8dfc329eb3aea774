import { startFailureHint } from './server-process';

describe('startFailureHint', () => {
  it('When Nest dumps a database error, then the hint is the error message, not a stack frame or a field', () => {
    const output = [
      '{"level":"warn","msg":"postgres not reachable yet, retrying"}',
      '\u001b[31m[Nest] 1  - \u001b[39m ERROR [ExceptionHandler] error: database "casebook_chatbot" does not exist',
      '    at parseErrorMessage (/x/parser.js:306:11)',
      "  severity: 'FATAL',",
      "  code: '3D000',",
      "  routine: 'InitPostgres'",
      '}',
    ].join('\n');

    expect(startFailureHint(output)).toBe(
      '[Nest] 1  -  ERROR [ExceptionHandler] error: database "casebook_chatbot" does not exist',
    );
  });

  it('When no line looks like an error, then the last line is the hint', () => {
    expect(startFailureHint('starting\nlistening soon\n')).toBe('listening soon');
    expect(startFailureHint('')).toBeUndefined();
  });
});
