import { encodeRequest, requestLabel } from './request';
import type { Scenario, SetupResponse } from './scenario';

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** Runs the scenario's setup steps in order with `fetch`; an answer outside `acceptStatus` (default 2xx) aborts the run. */
export async function runSetup<Ctx extends object>(scenario: Scenario<Ctx>, baseUrl: string): Promise<Ctx> {
  let context: Partial<Ctx> = {};
  for (const [index, step] of (scenario.setup ?? []).entries()) {
    const request = typeof step.request === 'function' ? step.request(context) : step.request;
    const encoded = encodeRequest(baseUrl, request);
    const url = new URL(encoded.path, baseUrl);
    let response: SetupResponse;
    try {
      const res = await fetch(url, { method: encoded.method, headers: encoded.headers, body: encoded.body ?? null });
      response = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    } catch (error: unknown) {
      throw new SetupError(`setup step ${index + 1} (${requestLabel(request)}) failed: ${String(error)}`);
    }
    const accepted = step.acceptStatus
      ? step.acceptStatus.includes(response.status)
      : response.status >= 200 && response.status <= 299;
    if (!accepted) {
      throw new SetupError(
        `setup step ${index + 1} (${requestLabel(request)}) answered ${response.status}: ${response.body.slice(0, 200)}`,
      );
    }
    if (step.extract) context = { ...context, ...step.extract(response, context) };
  }
  // Setup steps are expected to fill every field the request builder reads.
  return context as Ctx;
}
