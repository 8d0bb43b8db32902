/**
 * A predict request as it is saved and remembered: which model or chain, which target, and the payload.
 * Plain Node: no editor APIs.
 */
import { parseOwner, parseTarget } from '../../../client';
import type { Owner, Target, TargetRef } from '../../../client';
import { parseJson } from './payload';

export interface PredictRequest extends TargetRef {
  payload: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The shape of `.baseten/requests/*.json`. */
export interface SavedRequestFile {
  name?: string;
  owner: Owner;
  target: Target;
  payload: unknown;
}

export type SavedRequestResult = { ok: true; name?: string; request: PredictRequest } | { ok: false; message: string };

export function parseSavedRequest(text: string): SavedRequestResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: `not valid JSON: ${parsed.message}` };
  const file = parsed.value;
  if (!isRecord(file)) return { ok: false, message: 'expected an object with "owner", "target" and "payload"' };
  // Files saved before the owner had its name said "on".
  const owner = parseOwner(file.owner ?? file.on);
  if (!owner) return { ok: false, message: '"owner" must be {"kind": "model" | "chain", "id": "<id>", "name"?: "<name>"}' };
  const target = parseTarget(file.target ?? { kind: 'production' });
  if (!target) return { ok: false, message: '"target" must be {"kind": "production" | "development"}, {"kind": "environment", "name"}, or {"kind": "deployment", "id"}' };
  if (!('payload' in file)) return { ok: false, message: '"payload" is missing' };
  return { ok: true, name: typeof file.name === 'string' ? file.name : undefined, request: { owner, target, payload: file.payload } };
}

export function savedRequestText(request: PredictRequest, name?: string): string {
  const file: SavedRequestFile = { ...(name ? { name } : {}), owner: request.owner, target: request.target, payload: request.payload };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name for a saved request: letters, digits and dashes. */
export function requestFileName(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'request'}.json`;
}
