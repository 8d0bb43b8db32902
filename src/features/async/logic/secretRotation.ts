/**
 * The webhook secret replaced by the last rotation, and how long it is still accepted. Plain Node: the
 * receiver's wiring stores the record in SecretStorage.
 */

import { randomBytes } from 'node:crypto';

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh secret in Baseten's shape (`whsec_` and 40 letters and digits), for a receiver that has none. */
export function newWebhookSecret(): string {
  // 62 does not divide 256: bytes of 248 and above are dropped so every character is equally likely.
  let secret = '';
  while (secret.length < 40) {
    for (const byte of randomBytes(48)) if (byte < 248 && secret.length < 40) secret += SECRET_ALPHABET[byte % 62];
  }
  return `whsec_${secret}`;
}

/** Baseten accepts the old and the new secret together for 24 h after a rotation. */
export const ROTATION_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface PreviousSecret {
  secret: string;
  /** Epoch ms the secret was replaced. */
  rotatedAt: number;
}

/** The stored record of the previous secret (what replaced it at `now`). */
export function rotatedRecord(previous: string, now: number): string {
  return JSON.stringify({ secret: previous, rotatedAt: now } satisfies PreviousSecret);
}

/**
 * The previous secret while its window lasts, else undefined. A record without a rotation time (written
 * before rotations expired) counts as expired: its age is unknown.
 */
export function previousSecretIfValid(record: string | undefined, now: number): string | undefined {
  if (!record) return undefined;
  let parsed: Partial<PreviousSecret>;
  try {
    parsed = JSON.parse(record) as Partial<PreviousSecret>;
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed.secret !== 'string' || !parsed.secret || typeof parsed.rotatedAt !== 'number') return undefined;
  return now - parsed.rotatedAt < ROTATION_WINDOW_MS ? parsed.secret : undefined;
}
