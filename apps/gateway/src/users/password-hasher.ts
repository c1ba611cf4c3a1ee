import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): about 30–60 ms
 * a hash on one core.
 */
export const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes and checks passwords. When the account asked for does not exist (or cannot sign in),
 * the password is checked against a dummy hash made with the same settings, so the answer takes
 * as long as for a real account: timing does not tell which e-mails have accounts.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummy: string | null = null;

  async onModuleInit(): Promise<void> {
    await this.dummyHash();
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** True when the password matches; a malformed hash is simply no match. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const target = passwordHash ?? (await this.dummyHash());
    try {
      const ok = await verify(target, password);
      return passwordHash !== null && ok;
    } catch {
      return false;
    }
  }

  private async dummyHash(): Promise<string> {
    this.dummy ??= await hash(randomBytes(32).toString('base64url'), ARGON2_OPTIONS);
    return this.dummy;
  }
}
