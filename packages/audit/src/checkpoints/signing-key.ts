import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AuditPublicKey {
  /** First 16 hex characters of SHA-256 over the SPKI DER encoding. */
  keyId: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  publicKey: KeyObject;
}

export interface AuditSigningKey extends AuditPublicKey {
  privateKey: KeyObject;
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyInfo(publicKey: KeyObject): AuditPublicKey {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('audit checkpoint keys are Ed25519 keys');
  return {
    keyId: keyIdOf(publicKey),
    algorithm: 'Ed25519',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
  };
}

export function parsePublicKey(pem: string): AuditPublicKey {
  return publicKeyInfo(createPublicKey(pem));
}

/**
 * The checkpoint signing key from config: a PKCS#8 PEM, or the 32-byte Ed25519 seed in base64 (what
 * `node packages/audit/dist/cli/keygen.js` prints).
 */
export function loadSigningKey(material: string): AuditSigningKey {
  const trimmed = material.trim();
  let privateKey: KeyObject;
  if (trimmed.includes('-----BEGIN')) {
    privateKey = createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  } else {
    const seed = Buffer.from(trimmed, 'base64');
    if (seed.length !== 32) throw new Error('AUDIT_SIGNING_KEY must be a PEM key or a base64 32-byte Ed25519 seed');
    privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 key');
  return { ...publicKeyInfo(createPublicKey(privateKey)), privateKey };
}

/** A fresh key as a base64 seed, for `AUDIT_SIGNING_KEY`. */
export function generateSigningKeySeed(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return der.subarray(ED25519_PKCS8_PREFIX.length).toString('base64');
}
