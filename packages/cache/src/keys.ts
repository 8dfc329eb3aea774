/**
 * Physical Redis keys of one cache. A logical key (`qc:3:sales:<hash>`) is wrapped in a Redis Cluster
 * hash tag, so the entry and its lease always live in the same slot (the fill script touches both),
 * while different entries spread over all slots. Tags get their own hash tag each.
 */
export class CacheKeys {
  constructor(readonly name: string) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`cache name '${name}' must match [a-z][a-z0-9_-]*`);
  }

  static assertLogicalKey(key: string): void {
    // Braces would change which part of the key Redis Cluster hashes.
    if (key.length === 0 || key.length > 512 || /[{}\s]/.test(key)) {
      throw new Error(`invalid cache key '${key.slice(0, 80)}': 1–512 characters, no braces or spaces`);
    }
  }

  static assertTag(tag: string): void {
    if (tag.length === 0 || tag.length > 200 || /[{}\s]/.test(tag)) {
      throw new Error(`invalid cache tag '${tag.slice(0, 80)}': 1–200 characters, no braces or spaces`);
    }
  }

  entry(key: string): string {
    return `${this.name}:{${key}}`;
  }

  lease(key: string): string {
    return `${this.name}:{${key}}:lease`;
  }

  /** Tag → the Redis time (ms) of its last invalidation. Never expires: see ADR 0008 (eviction policy). */
  tag(tag: string): string {
    return `${this.name}:tag:{${tag}}`;
  }

  /** Advisory index tag → keys (score = expiry), for the admin view and dry runs; never used to invalidate. */
  tagIndex(tag: string): string {
    return `${this.name}:tagidx:{${tag}}`;
  }

  stats(): string {
    return `${this.name}:stats`;
  }

  /** SCAN pattern for the admin prefix view; glob characters in the prefix are escaped. */
  entryPattern(prefix: string): string {
    return `${this.name}:{${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*}`;
  }

  /** Logical key back from a physical entry key, or null for anything else (leases, tags). */
  logicalKeyOf(physical: string): string | null {
    const match = /^[^:]+:\{([^{}]+)\}$/.exec(physical);
    return match && physical.startsWith(`${this.name}:{`) ? match[1]! : null;
  }
}
