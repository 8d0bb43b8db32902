/**
 * `Authorization: Bearer <key>` or `Api-Key <key>` (docs/baseten-api.md#authentication), and the body each
 * Baseten surface answers a bad key with: Model APIs 403 as recorded, model and chain hosts 401 `{"error"}`
 * (the inference spec's ErrorResponse), management 401/403 `{"message"}` (what truss reads; the spec publishes
 * none).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type KeyRole = 'full' | 'invoke';

export type AuthResult =
  | { ok: true; role: KeyRole; key: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' };

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticate(headers: IncomingHttpHeaders, keys: { apiKey: string; invokeOnlyApiKey: string }): AuthResult {
  const header = headers.authorization;
  if (!header) return { ok: false, reason: 'missing' };
  const match = /^\s*(Bearer|Api-Key)\s+(\S+)\s*$/i.exec(header);
  if (!match) return { ok: false, reason: 'malformed' };
  const key = match[2];
  if (same(key, keys.apiKey)) return { ok: true, role: 'full', key };
  if (same(key, keys.invokeOnlyApiKey)) return { ok: true, role: 'invoke', key };
  return { ok: false, reason: 'unknown' };
}

/** Recorded on inference.baseten.co (Feb 2026), trailing newline included. */
export const MODEL_APIS_BAD_KEY_BODY = '{"error":"please check the api-key you provided"}\n';

const HOST_MESSAGES = {
  missing: 'Missing API key. Send "Authorization: Bearer <your API key>".',
  malformed: 'Malformed Authorization header. Use "Bearer <your API key>" or "Api-Key <your API key>".',
  unknown: 'Invalid API key.',
} as const;

/** Model and chain hosts, WebSocket upgrades included. */
export function hostAuthError(reason: keyof typeof HOST_MESSAGES): { error: string; error_code: 'unauthorized' } {
  return { error: HOST_MESSAGES[reason], error_code: 'unauthorized' };
}

export function managementAuthError(reason: keyof typeof HOST_MESSAGES): { message: string } {
  return { message: HOST_MESSAGES[reason] };
}

export const INVOKE_ONLY_MANAGEMENT_BODY = {
  message:
    'This API key is an invoke-only workspace key (WORKSPACE_INVOKE): it can call and wake models, but it cannot use the management API. Use a full-access key to list or manage models.',
};
