/**
 * Canonical JSON, as hashed by the chain and signed in checkpoints: RFC 8785 (JSON Canonicalization
 * Scheme) for the values audit events can hold. Object members sorted by their UTF-16 code units, no
 * whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does (which is what JCS
 * specifies for finite numbers). Anything JSON cannot represent exactly is refused rather than
 * silently changed, so the bytes hashed at write time are the bytes re-derived by the verifier.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$', '');
}

// The path of a value is only put together when it is reported: building it for every member would
// cost more than the serialisation (this runs for every event the consumer appends and verify checks).
const at = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;

function serialise(value: unknown, parent: string, key: string | number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${at(parent, key)} is not a finite number`);
      // -0 and 0 are one JSON number.
      return value === 0 ? '0' : JSON.stringify(value);
    case 'object': {
      const path = key === '' ? parent : at(parent, key);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) out += ',';
          out += serialise(value[i], path, i);
        }
        return `${out}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError(`canonicalJson: ${path} is not a plain object`);
      }
      let out = '{';
      let first = true;
      // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 asks for.
      for (const name of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[name];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(name)}:${serialise(member, path, name)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${at(parent, key)} has type ${typeof value}, which JSON cannot hold`);
  }
}
