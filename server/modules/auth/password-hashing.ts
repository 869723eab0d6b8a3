import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { retryLater } from '../../http/problem';

// Algorithm is a const enum, which isolated-module builds cannot read at run time; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/**
 * Lets `limit` tasks run at once and queues the others (up to `maxWaiting`; past that a 503 `busy`).
 * argon2id takes about 20 MiB and a core for tens of milliseconds: unbounded, a storm of logins
 * fills every thread and core, and requests that hash nothing (GET /me) wait behind it.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    private limit: number,
    private readonly maxWaiting: number,
  ) {}

  setLimit(limit: number): void {
    this.limit = limit;
    while (this.running < this.limit && this.waiting.length > 0) this.next();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw retryLater('busy', 1, 'The server is busy checking passwords; try again in a moment.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.next();
    }
  }

  private next(): void {
    const wake = this.waiting.shift();
    if (wake) {
      this.running += 1;
      wake();
    }
  }
}

/** One per process: every hash and verification of the process takes its turn here. */
const hashing = new Semaphore(1, 256);

/** How many passwords this process hashes at once (PASSWORD_HASH_CONCURRENCY). */
export function setPasswordHashConcurrency(limit: number): void {
  hashing.setLimit(limit);
}

/** argon2id with 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum (the library's defaults). */
export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => hash(password, { algorithm: ARGON2ID }));
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return hashing.run(() => verify(passwordHash, password));
}
