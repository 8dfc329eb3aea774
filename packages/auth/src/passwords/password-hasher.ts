import { timingSafeEqual } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id hashing with parameters from config. `verifyOrDummy` runs the same argon2 work whether or
 * not the user exists, so response time does not reveal which emails are registered.
 */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly params: Argon2Params) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, ...this.params });
  }

  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }

  /** Verifies against `storedHash`, or against a dummy hash of the same cost when there is no user. */
  async verifyOrDummy(storedHash: string | null, password: string): Promise<boolean> {
    if (storedHash) return this.verify(storedHash, password);
    this.dummyHash ??= this.hash('casebook-dummy-password-for-unknown-users');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** Whether a stored hash was made with weaker parameters than configured (rehash on next login). */
  needsRehash(storedHash: string): boolean {
    const match = /\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
    if (!match) return true;
    const [, m, t, p] = match.map(Number);
    return m! < this.params.memoryCost || t! < this.params.timeCost || p! < this.params.parallelism;
  }
}

/** Constant-time equality of two strings (e.g. hashed secrets). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
