/**
 * What every management handler is given: the request, its path parameters and the parts of the core
 * the management API reads (the workspace, the keys, the base URL, deployment lifecycle), plus the
 * `{"message"}` answers it replies with.
 */
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { isRecord, parseJsonBody, sendJson } from '../core/exchange';
import type { Params } from '../core/router';

export type ManagementCore = Pick<EmulatorCore, 'state' | 'options' | 'baseUrl' | 'lifecycle' | 'timers' | 'traffic'>;

export interface ManagementContext {
  core: ManagementCore;
  exchange: Exchange;
  params: Params;
}

export type ManagementHandler = (context: ManagementContext) => void;

export function fail(context: ManagementContext, status: number, message: string): void {
  sendJson(context.exchange, status, { message });
}

export function ok(context: ManagementContext, body: unknown): void {
  sendJson(context.exchange, 200, body);
}

/** The JSON body as an object ({} when empty); undefined after answering 400. */
export function objectBody(context: ManagementContext): Record<string, unknown> | undefined {
  if (context.exchange.body.length === 0) return {};
  const parsed = parseJsonBody(context.exchange);
  if (parsed.ok && isRecord(parsed.value)) return parsed.value;
  fail(context, 400, parsed.ok ? 'The request body must be a JSON object.' : parsed.message);
  return undefined;
}
