/**
 * Random identifiers in hex (Message-IDs, MIME boundaries, mailbox file
 * names) taken from a pool of crypto-random bytes refilled 4 KiB at a time:
 * one `randomFillSync` serves a few hundred identifiers instead of one
 * system call each (`randomBytes(16)` per message cost an SMTP client ~3 %
 * of its time). The bytes are as random as `randomBytes`' — only fetched
 * in bulk — and never handed out twice.
 *
 * @example
 * ```ts
 * const id = randomHex(16); // 32 hex digits
 * assert.match(id, /^[0-9a-f]{32}$/);
 * ```
 */
import { randomFillSync } from 'node:crypto';
import { checkInteger } from './validate.js';

/** Bytes fetched per refill. */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/** `n` (1…256) fresh random bytes as 2n lower-case hex digits. */
export function randomHex(n: number): string {
  checkInteger('randomHex byte count', n, { min: 1, max: 256 });
  if (used + n > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + n);
  used += n;
  return hex;
}
