import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommonErrorCode, defineErrorCodes, ProblemError, statusForCode } from './problem';
import { toProblem } from './to-problem';

describe('toProblem', () => {
  it('When a ProblemError is thrown, then its code, detail, field errors and headers are kept', () => {
    const error = new ProblemError({
      code: CommonErrorCode.RateLimited,
      detail: 'Slow down.',
      headers: { 'Retry-After': '3' },
      errors: [{ field: 'x', message: 'bad' }],
    });
    const { document, headers, isServerError } = toProblem(error, { requestId: 'r1', instance: '/v1/x' });
    expect(document).toEqual({
      type: 'https://casebook.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'Slow down.',
      instance: '/v1/x',
      code: 'RATE_LIMITED',
      requestId: 'r1',
      errors: [{ field: 'x', message: 'bad' }],
    });
    expect(headers).toEqual({ 'Retry-After': '3' });
    expect(isServerError).toBe(false);
  });

  it('When an unknown error is thrown, then it is a 500 with an errorId and none of its message', () => {
    const { document } = toProblem(new Error('password=swordfish at db.ts:42'), { requestId: 'r2' });
    expect(document.status).toBe(500);
    expect(document.code).toBe('INTERNAL_ERROR');
    expect(document.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(document)).not.toContain('swordfish');
  });

  it('When Nest raises an HTTP exception, then the status maps to a stable code', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), {}).document).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(toProblem(new BadRequestException(['a', 'b']), {}).document).toMatchObject({ status: 400, detail: 'a; b' });
  });

  it('When Fastify rejects a body, then its client error becomes a problem with a specific code', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toProblem(tooLarge, {}).document).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const badJson = Object.assign(new SyntaxError('Unexpected token'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    expect(toProblem(badJson, {}).document).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
  });

  it('When the database cannot be reached, then 503 with Retry-After instead of a 500', () => {
    const terminated = Object.assign(new Error('Query failed'), {
      driverError: Object.assign(new Error('terminating connection'), { code: '57P01' }),
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const error of [terminated, refused, new Error('Connection terminated unexpectedly')]) {
      const { document, headers } = toProblem(error, {});
      expect(document).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(document.errorId).toBeUndefined();
      expect(headers['Retry-After']).toBe('5');
    }
  });

  it('When a module declares its codes, then a thrown code gets the status declared for it', () => {
    const SpecErrorCode = defineErrorCodes({ Gone: ['SPEC_GONE', 410] });
    const { document } = toProblem(new ProblemError({ code: SpecErrorCode.Gone, detail: 'Gone.' }), {});
    expect(document).toMatchObject({ status: 410, code: 'SPEC_GONE', title: 'Gone' });
    expect(statusForCode(SpecErrorCode.Gone)).toBe(410);
  });

  it('When a code is thrown that no module declared, then constructing the error fails loudly', () => {
    const undeclared: string = 'SPEC_NEVER_DECLARED';
    expect(() => new ProblemError({ code: undeclared })).toThrow(/not declared/);
  });

  it('When two modules declare one code with different statuses, then the second declaration fails', () => {
    defineErrorCodes({ Once: ['SPEC_ONCE', 409] });
    expect(() => defineErrorCodes({ Again: ['SPEC_ONCE', 400] })).toThrow(/409 and 400/);
  });
});
