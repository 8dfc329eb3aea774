import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export const SIGNING_ALGORITHM = 'EdDSA';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  createdAt: string;
  /** When a newer key took over signing; the key still verifies until tokens it signed have expired. */
  retiredAt?: string;
}

interface KeyFile {
  keys: StoredKey[];
  refreshSecret: string;
}

interface LoadedKey extends StoredKey {
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

export interface KeyRingSource {
  /** JSON array of private JWKs; the first signs. From config in production. */
  signingKeys?: string;
  /** Folder for development keys, generated once; `:memory:` keeps them in this process only. */
  keysDir: string;
  /** How long a retired key keeps verifying: the longest token lifetime plus clock tolerance. */
  retainSeconds: number;
  production: boolean;
}

async function newKey(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { kid, privateJwk: { ...privateJwk, kid, alg: SIGNING_ALGORITHM }, createdAt: new Date().toISOString() };
}

async function load(stored: StoredKey): Promise<LoadedKey> {
  const privateKey = (await importJWK(stored.privateJwk, SIGNING_ALGORITHM)) as KeyLike;
  const { d: _private, ...publicJwk } = stored.privateJwk;
  const publicKey = (await importJWK(publicJwk, SIGNING_ALGORITHM)) as KeyLike;
  return {
    ...stored,
    privateKey,
    publicKey,
    publicJwk: { ...publicJwk, use: 'sig', alg: SIGNING_ALGORITHM, kid: stored.kid },
  };
}

/**
 * Q2.1: the asymmetric signing keys. The newest key signs; older keys stay in the JWKS and keep
 * verifying until every token they signed has expired, so rotation never logs anyone out.
 */
export class KeyRing {
  private constructor(
    private keys: LoadedKey[],
    readonly refreshSecret: string,
    private readonly file: string | null,
    private readonly retainSeconds: number,
  ) {}

  static async open(source: KeyRingSource): Promise<KeyRing> {
    if (source.signingKeys) {
      const jwks = JSON.parse(source.signingKeys) as JWK[];
      if (!Array.isArray(jwks) || jwks.length === 0)
        throw new Error('AUTH_SIGNING_KEYS must be a non-empty JSON array of JWKs');
      const stored = await Promise.all(
        jwks.map(async (jwk, i) => ({
          kid: jwk.kid ?? (await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x })),
          privateJwk: jwk,
          createdAt: new Date(0).toISOString(),
          ...(i > 0 ? { retiredAt: new Date().toISOString() } : {}),
        })),
      );
      return new KeyRing(await Promise.all(stored.map(load)), '', null, source.retainSeconds);
    }
    if (source.production) throw new Error('AUTH_SIGNING_KEYS is required in production');
    if (source.keysDir === ':memory:') {
      return new KeyRing(
        [await load(await newKey())],
        randomBytes(32).toString('base64url'),
        null,
        source.retainSeconds,
      );
    }
    const file = path.resolve(source.keysDir, 'signing-keys.json');
    let content: KeyFile;
    try {
      content = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
    } catch {
      content = { keys: [await newKey()], refreshSecret: randomBytes(32).toString('base64url') };
      await KeyRing.write(file, content);
    }
    return new KeyRing(await Promise.all(content.keys.map(load)), content.refreshSecret, file, source.retainSeconds);
  }

  private static async write(file: string, content: KeyFile): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(content, null, 2), { mode: 0o600 });
    await rename(temp, file);
  }

  /** The key new tokens are signed with. */
  signer(): { kid: string; key: KeyLike } {
    const active = this.keys[0]!;
    return { kid: active.kid, key: active.privateKey };
  }

  verificationKey(kid: string | undefined): KeyLike | undefined {
    return kid === undefined ? undefined : this.keys.find((k) => k.kid === kid)?.publicKey;
  }

  /** Public keys for `/.well-known/jwks.json`: the signer and every retired key still inside its overlap. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /**
   * Adds a new signing key; the previous signer is retired but keeps verifying for `retainSeconds`.
   * Keys retired longer than that are dropped.
   */
  async rotate(now = new Date()): Promise<string> {
    const fresh = await load(await newKey());
    const cutoff = now.getTime() - this.retainSeconds * 1000;
    const kept = this.keys
      .map((k, i) => (i === 0 ? { ...k, retiredAt: now.toISOString() } : k))
      .filter((k) => !k.retiredAt || Date.parse(k.retiredAt) >= cutoff);
    this.keys = [fresh, ...kept];
    if (this.file) {
      await KeyRing.write(this.file, {
        keys: this.keys.map(({ kid, privateJwk, createdAt, retiredAt }) => ({
          kid,
          privateJwk,
          createdAt,
          ...(retiredAt ? { retiredAt } : {}),
        })),
        refreshSecret: this.refreshSecret,
      });
    }
    return fresh.kid;
  }
}
