import { encodeRequest, isExpectedStatus, joinPath } from './request';

describe('encodeRequest', () => {
  it('When the body is an object, then it is sent as JSON with a content type', () => {
    const encoded = encodeRequest('http://127.0.0.1:3000', {
      method: 'POST',
      path: '/v1/messages',
      headers: { authorization: 'Bearer t' },
      body: { text: 'hi' },
    });

    expect(encoded).toEqual({
      method: 'POST',
      path: '/v1/messages',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });
  });

  it('When a content type is already set or the body is a string, then it is kept as given', () => {
    const json = encodeRequest('http://h', {
      method: 'POST',
      path: '/x',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: {},
    });
    const text = encodeRequest('http://h', { method: 'POST', path: '/x', body: 'raw' });

    expect(json.headers).toEqual({ 'Content-Type': 'application/merge-patch+json' });
    expect(text).toEqual({ method: 'POST', path: '/x', headers: {}, body: 'raw' });
  });
});

describe('joinPath', () => {
  it('When the base URL has a path, then the request path goes under it', () => {
    expect(joinPath('http://h/api/', '/health/live')).toBe('/api/health/live');
    expect(joinPath('http://h', 'health/live?x=1')).toBe('/health/live?x=1');
  });
});

describe('isExpectedStatus', () => {
  it('When no range is given, then 2xx and 3xx are expected like k6 http_req_failed', () => {
    expect([200, 302, 399].every((status) => isExpectedStatus(status))).toBe(true);
    expect([199, 400, 500].some((status) => isExpectedStatus(status))).toBe(false);
    expect(isExpectedStatus(429, { min: 429, max: 429 })).toBe(true);
  });
});
