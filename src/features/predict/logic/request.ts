/**
 * A predict request as it is saved and remembered: which model or chain, which target, and the payload.
 * Plain Node: no editor APIs.
 */
import type { Target } from '../../../client';
import { parseJson } from './payload';

export interface PredictOn {
  kind: 'model' | 'chain';
  id: string;
  name: string;
}

export interface PredictTarget {
  on: PredictOn;
  target: Target;
}

export interface PredictRequest extends PredictTarget {
  payload: unknown;
}

/** "production of echo", "deployment t0kcumo of echo": how the user names a target. */
export function targetTitle({ on, target }: PredictTarget): string {
  const where =
    target.kind === 'environment' ? target.name : target.kind === 'deployment' ? `deployment ${target.id}` : target.kind === 'regional' ? `${target.environment} (regional)` : target.kind;
  return `${where} of ${on.name || on.id}`;
}

const ID = /^[A-Za-z0-9_-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function parseTarget(value: unknown): Target | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'production':
    case 'development':
      return { kind: value.kind };
    case 'environment':
      return typeof value.name === 'string' && value.name ? { kind: 'environment', name: value.name } : undefined;
    case 'deployment':
      return typeof value.id === 'string' && ID.test(value.id) ? { kind: 'deployment', id: value.id } : undefined;
    case 'regional':
      return typeof value.environment === 'string' && ID.test(value.environment) ? { kind: 'regional', environment: value.environment } : undefined;
    default:
      return undefined;
  }
}

export function parseOn(value: unknown): PredictOn | undefined {
  if (!isRecord(value) || (value.kind !== 'model' && value.kind !== 'chain') || typeof value.id !== 'string' || !ID.test(value.id)) return undefined;
  return { kind: value.kind, id: value.id, name: typeof value.name === 'string' && value.name ? value.name : value.id };
}

/** The shape of `.baseten/requests/*.json`. */
export interface SavedRequestFile {
  name?: string;
  on: PredictOn;
  target: Target;
  payload: unknown;
}

export type SavedRequestResult = { ok: true; name?: string; request: PredictRequest } | { ok: false; message: string };

export function parseSavedRequest(text: string): SavedRequestResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: `not valid JSON: ${parsed.message}` };
  const file = parsed.value;
  if (!isRecord(file)) return { ok: false, message: 'expected an object with "on", "target" and "payload"' };
  const on = parseOn(file.on);
  if (!on) return { ok: false, message: '"on" must be {"kind": "model" | "chain", "id": "<id>", "name"?: "<name>"}' };
  const target = parseTarget(file.target ?? { kind: 'production' });
  if (!target) return { ok: false, message: '"target" must be {"kind": "production" | "development"}, {"kind": "environment", "name"}, or {"kind": "deployment", "id"}' };
  if (!('payload' in file)) return { ok: false, message: '"payload" is missing' };
  return { ok: true, name: typeof file.name === 'string' ? file.name : undefined, request: { on, target, payload: file.payload } };
}

export function savedRequestText(request: PredictRequest, name?: string): string {
  const file: SavedRequestFile = { ...(name ? { name } : {}), on: request.on, target: request.target, payload: request.payload };
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
