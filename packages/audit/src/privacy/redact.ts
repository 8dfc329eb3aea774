/**
 * Free text that reaches the audit log (a denial reason, a note an admin typed) loses anything that
 * identifies a person or grants access: emails, IP addresses, bearer credentials, JWTs, key-like
 * strings, card or phone numbers. Placeholders keep the text readable: "login for [email] from [ip]".
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Rule = [RegExp, string | ((match: string) => string)];

const RULES: Rule[] = [
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, '[token]'],
  [/\b(Bearer|Basic|Token)\s+[^\s,;]+/gi, '$1 [token]'],
  [/\b(password|passwd|secret|token|api[_-]?key|authorization)(\s*[:=]\s*)[^\s,;&]+/gi, '$1$2[redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[email]'],
  // Random-looking runs (API keys, refresh tokens, hex secrets): long, letters and digits mixed, not a UUID.
  [/[A-Za-z0-9_+/=-]{20,}/g, (run) => (UUID.test(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : '[token]')],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '[ip]'],
  [/(?<![A-Za-z0-9:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![A-Za-z0-9:])/g, '[ip]'],
  [
    /(?<![A-Za-z0-9:])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?(?![A-Za-z0-9:])/g,
    (match) => (match === '::' ? match : '[ip]'),
  ],
  [/\+?\d(?:[ -]?\d){8,18}\b/g, '[number]'],
];

export const MAX_FREE_TEXT = 500;

export function redactFreeText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out.length > MAX_FREE_TEXT ? `${out.slice(0, MAX_FREE_TEXT - 1)}…` : out;
}
