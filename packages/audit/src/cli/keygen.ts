// node packages/audit/dist/cli/keygen.js: a new checkpoint signing key (for AUDIT_SIGNING_KEY, kept
// secret) and its public key (handed to auditors, who pass it to audit:verify --public-key).
import { generateSigningKeySeed, loadSigningKey } from '../checkpoints/signing-key';

const seed = generateSigningKeySeed();
const key = loadSigningKey(seed);
process.stdout.write(
  `AUDIT_SIGNING_KEY=${seed}\n\n# key id ${key.keyId}; public key for auditors:\n${key.publicKeyPem}`,
);
