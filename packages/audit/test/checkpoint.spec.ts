import { generateKeyPairSync } from 'node:crypto';
import {
  generateSigningKeySeed,
  keyMap,
  loadSigningKey,
  parsePublicKey,
  signCheckpoint,
  verifyCheckpoint,
} from '../src';

describe('signed checkpoints', () => {
  const key = loadSigningKey(generateSigningKeySeed());
  const trusted = keyMap([parsePublicKey(key.publicKeyPem)]);
  const head = { seq: 42, hash: Buffer.alloc(32, 7) };

  it('When a checkpoint is signed, then it verifies with the exported public key', () => {
    expect(verifyCheckpoint(signCheckpoint(key, head), trusted)).toEqual({ ok: true });
  });

  it('When a signed field is changed, then the signature no longer verifies', () => {
    const checkpoint = signCheckpoint(key, head);
    const forged = { ...checkpoint, headHash: Buffer.alloc(32, 8).toString('hex') };
    expect(verifyCheckpoint(forged, trusted)).toEqual({ ok: false, reason: expect.stringMatching(/does not verify/) });
  });

  it('When an attacker signs with their own key, then the checkpoint is not trusted', () => {
    const attacker = loadSigningKey(generateSigningKeySeed());
    expect(verifyCheckpoint(signCheckpoint(attacker, head), trusted)).toEqual({
      ok: false,
      reason: expect.stringMatching(/not a trusted key/),
    });
  });

  it('When the key is given as PEM, then it is the same key as its seed', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadSigningKey(pem).keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(() => loadSigningKey(Buffer.alloc(16).toString('base64'))).toThrow(/32-byte/);
  });
});
