/**
 * The language-model tools' names and their inputs, checked before anything is sent: a model gets one clear
 * sentence for a bad input, never a stack. Plain Node.
 */
import { findAsyncPredictIssues } from '../../../client/asyncValidation';
import type { TargetQuery } from './targetQuery';
import { parseLogLevel } from '../../../client/logs';
import type { LogLevel } from '../../../client/logs';

/** As in package.json's `languageModelTools` (test/unit/commandTable.test.ts checks both agree). */
export const TOOL_NAMES = ['baseten_list_deployments', 'baseten_call_deployment', 'baseten_wake_deployment', 'baseten_get_logs', 'baseten_submit_async_request', 'baseten_get_async_request'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ListInput {
  model?: string;
}

export interface CallInput extends TargetQuery {
  input: unknown;
}

export interface AsyncSubmitInput extends TargetQuery {
  input: Record<string, unknown>;
  priority?: number;
  maxTimeInQueueSeconds?: number;
  /** Deliver the output to the editor's local webhook receiver, so the status tool can return it. */
  deliverOutput?: boolean;
}

export interface LogsInput extends TargetQuery {
  requestId?: string;
  level?: LogLevel;
  /** How far back, 1 minute to Baseten's 7 days. */
  minutes: number;
  chainlet?: string;
}

export interface AsyncStatusInput {
  requestId: string;
  model?: string;
}

/** A tool input that cannot be used; its message is what the model reads. */
export class ToolInputError extends Error {}

function record(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ToolInputError('The tool input must be a JSON object.');
  return value as Record<string, unknown>;
}

function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ToolInputError(`"${field}" must be a string.`);
  return value;
}

function requiredString(input: Record<string, unknown>, field: string, what: string): string {
  const value = optionalString(input, field);
  if (!value) throw new ToolInputError(`"${field}" is required: ${what}.`);
  return value;
}

function optionalBoolean(input: Record<string, unknown>, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ToolInputError(`"${field}" must be true or false.`);
  return value;
}

const MODEL = 'the model or chain, by name or ID (see baseten_list_deployments)';

function targetQuery(input: Record<string, unknown>): TargetQuery {
  return { model: requiredString(input, 'model', MODEL), target: optionalString(input, 'target') };
}

export function readListInput(value: unknown): ListInput {
  return { model: optionalString(record(value ?? {}), 'model') };
}

/** Just a target (the wake tool). */
export function readTargetInput(value: unknown): TargetQuery {
  return targetQuery(record(value));
}

export function readCallInput(value: unknown): CallInput {
  const input = record(value);
  if (!('input' in input) || input.input === undefined) throw new ToolInputError('"input" is required: the JSON the deployment receives, e.g. {"prompt": "…"}.');
  return { ...targetQuery(input), input: input.input };
}

export function readAsyncSubmitInput(value: unknown): AsyncSubmitInput {
  const input = record(value);
  const query = targetQuery(input);
  const priority = input.priority;
  const maxTimeInQueueSeconds = input.maxTimeInQueueSeconds;
  const issues = findAsyncPredictIssues({
    model_input: input.input as Record<string, unknown>,
    ...(priority !== undefined ? { priority: priority as number } : {}),
    ...(maxTimeInQueueSeconds !== undefined ? { max_time_in_queue_seconds: maxTimeInQueueSeconds as number } : {}),
  });
  if (issues.length) throw new ToolInputError(issues.map((issue) => issue.message.replace(/\bmodel_input\b/g, '"input"').replace(/\bmax_time_in_queue_seconds\b/g, '"maxTimeInQueueSeconds"')).join(' '));
  return {
    ...query,
    input: input.input as Record<string, unknown>,
    priority: priority as number | undefined,
    maxTimeInQueueSeconds: maxTimeInQueueSeconds as number | undefined,
    deliverOutput: optionalBoolean(input, 'deliverOutput'),
  };
}

export function readAsyncStatusInput(value: unknown): AsyncStatusInput {
  const input = record(value);
  const requestId = requiredString(input, 'requestId', 'the ID baseten_submit_async_request returned');
  if (!/^[A-Za-z0-9_-]+$/.test(requestId)) throw new ToolInputError(`"${requestId}" is not an async request ID.`);
  return { requestId, model: optionalString(input, 'model') };
}

/** The logs tool's input: a target, and optionally a request id, a minimum level and how many minutes back. */
export function readLogsInput(value: unknown): LogsInput {
  const input = record(value);
  const level = optionalString(input, 'level');
  const parsedLevel = level === undefined ? undefined : parseLogLevel(level);
  if (level !== undefined && !parsedLevel) throw new ToolInputError('"level" must be DEBUG, INFO, WARNING or ERROR.');
  const minutes = input.minutes ?? 60;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60) throw new ToolInputError('"minutes" must be a whole number from 1 to 10080 (Baseten keeps 7 days of logs).');
  const requestId = optionalString(input, 'requestId')?.trim();
  if (requestId && requestId.length > 256) throw new ToolInputError('"requestId" is at most 256 characters.');
  return { ...targetQuery(input), requestId, level: parsedLevel ?? undefined, minutes, chainlet: optionalString(input, 'chainlet') };
}
