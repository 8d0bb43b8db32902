/**
 * `X-BASETEN-SIGNATURE: v1=<hex hmac-sha256(secret, raw body)>` (docs/baseten-api.md#webhook-signatures). While
 * a secret is being rotated Baseten sends one `v1=` entry per active secret (`v1=new,v1=old`), so every entry
 * is checked against every secret we hold, each with a constant-time compare.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;

export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The hex digests of every well-formed `v1=` entry of the header (one header or several). */
export function signatureEntries(header: string | readonly string[] | undefined): Buffer[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(',');
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('v1='))
    .map((entry) => entry.slice(3).trim())
    .filter((hex) => SIGNATURE_HEX.test(hex))
    .map((hex) => Buffer.from(hex, 'hex'));
}

/** True when some `v1=` entry is the HMAC of `body` under some secret. */
export function verifyWebhookSignature(body: string | Uint8Array, header: string | readonly string[] | undefined, secrets: readonly string[]): boolean {
  const entries = signatureEntries(header);
  const usable = secrets.filter((secret) => secret.length > 0);
  if (!entries.length || !usable.length) return false;
  let valid = false;
  for (const secret of usable) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // No early exit: the time taken does not say which entry or secret matched.
    for (const entry of entries) valid = timingSafeEqual(entry, expected) || valid;
  }
  return valid;
}
