import type { Verdict } from '../types';

/**
 * Q34.3: LiteLLM's Generic Guardrail API. LiteLLM posts the texts it extracted from a request or a
 * response (`input_type`) with the caller's metadata; the guardrail answers one of three actions.
 */
export interface LiteLlmGuardrailRequest {
  input_type?: 'request' | 'response';
  texts?: string[];
  litellm_call_id?: string | null;
  litellm_trace_id?: string | null;
  request_data?: { user_api_key_end_user_id?: string | null; user_api_key_user_id?: string | null } & Record<
    string,
    unknown
  >;
  additional_provider_specific_params?: Record<string, unknown> | null;
}

export interface LiteLlmGuardrailResponse {
  /** `BLOCKED`: refuse the call; `GUARDRAIL_INTERVENED`: use `texts` instead; `NONE`: pass unchanged. */
  action: 'BLOCKED' | 'GUARDRAIL_INTERVENED' | 'NONE';
  blocked_reason?: string;
  texts?: string[];
}

/** A request's texts are user input; a response's are model output (the default: LiteLLM's post-call hook). */
export function directionOf(request: LiteLlmGuardrailRequest): 'input' | 'output' {
  return request.input_type === 'request' ? 'input' : 'output';
}

/**
 * Any block blocks the call, with a reason that names categories and rule ids but never the text or
 * the rules' terms (Q26.1); redactions come back as the rewritten texts; review alone passes (the
 * review queue sees it, the user is not held up).
 */
export function toLiteLlmGuardrail(verdicts: readonly Verdict[]): LiteLlmGuardrailResponse {
  const blocked = verdicts.filter((v) => v.action === 'block');
  if (blocked.length > 0) {
    const rules = [
      ...new Set(blocked.flatMap((v) => v.matches.filter((m) => m.action === 'block').map((m) => m.ruleId))),
    ];
    return { action: 'BLOCKED', blocked_reason: `blocked by moderation rules: ${rules.sort().join(', ')}` };
  }
  if (verdicts.some((v) => v.action === 'redact')) {
    return { action: 'GUARDRAIL_INTERVENED', texts: verdicts.map((v) => v.redactedText) };
  }
  return { action: 'NONE' };
}
