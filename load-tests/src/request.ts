import type { ScenarioRequest, StatusRange } from './scenario';

/** A scenario request as bytes on the wire: method, full path, headers, string body. */
export interface EncodedRequest {
  method: ScenarioRequest['method'];
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** k6's default for `http_req_failed`, used by both drivers so error rates agree. */
export const DEFAULT_EXPECTED_STATUS: StatusRange = { min: 200, max: 399 };

export function isExpectedStatus(status: number, range: StatusRange = DEFAULT_EXPECTED_STATUS): boolean {
  return status >= range.min && status <= range.max;
}

/** Keeps a base URL's path prefix (`http://host/api` + `/health` → `/api/health`). */
export function joinPath(baseUrl: string, path: string): string {
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  return `${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}

export function encodeRequest(baseUrl: string, request: ScenarioRequest): EncodedRequest {
  const headers: Record<string, string> = { ...request.headers };
  const encoded: EncodedRequest = { method: request.method, path: joinPath(baseUrl, request.path), headers };
  if (request.body === undefined) return encoded;
  if (typeof request.body === 'string') {
    encoded.body = request.body;
    return encoded;
  }
  encoded.body = JSON.stringify(request.body);
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (!hasContentType) headers['content-type'] = 'application/json';
  return encoded;
}

export function requestLabel(request: ScenarioRequest): string {
  return request.name ?? `${request.method} ${request.path}`;
}
