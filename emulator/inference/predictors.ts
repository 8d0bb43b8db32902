/**
 * What each seeded model does with a request: echo, transform, chunked text, SSE events, binary output,
 * a slow first byte, a failing model, an OpenAI-compatible LLM; chains echo `{"output": input}`. The same
 * behaviours answer sync predict (streamed where the model streams) and async runs (JSON only).
 */
import type { Exchange } from '../core/exchange';
import { endStream, isRecord, sendJson, sendText, startStream, writeChunk, yieldToEventLoop } from '../core/exchange';
import type { Resolved } from '../core/targets';
import { completeChat, prepareChat, serveChat } from '../modelApis/chat';
import type { AsyncErrorCode, EmulatorState, ModelApiState, ModelState } from '../state/state';
import { gradientPng } from './png';
import type { ResolvedOptions } from '../core/options';
import type { Timers } from '../core/timers';
import type { Lifecycle } from '../state/lifecycle';
import { serveTrussPredict, trussSourceOf } from '../upload/trussServe';

export type PredictInput = { kind: 'json'; value: unknown } | { kind: 'bytes'; contentType: string; data: Buffer };

const RAW_TYPES = /^(application\/octet-stream|multipart\/|text\/plain|image\/|audio\/|video\/)/;

/**
 * Reads the body as the model server would: bytes when the type says so (octet-stream, multipart,
 * text/plain, media), otherwise JSON (`curl -d` sends form-urlencoded JSON, which Truss parses too).
 */
export function readPredictInput(exchange: Exchange): { ok: true; input: PredictInput } | { ok: false; message: string } {
  const contentType = String(exchange.req.headers['content-type'] ?? '').toLowerCase();
  const bytes: PredictInput = { kind: 'bytes', contentType: contentType || 'application/octet-stream', data: exchange.body };
  if (RAW_TYPES.test(contentType)) return { ok: true, input: bytes };
  const text = exchange.body.toString('utf8');
  if (text.trim() === '') return { ok: true, input: { kind: 'json', value: null } };
  try {
    return { ok: true, input: { kind: 'json', value: JSON.parse(text) as unknown } };
  } catch (error) {
    if (contentType !== '' && !contentType.includes('json') && !contentType.includes('x-www-form-urlencoded')) return { ok: true, input: bytes };
    return { ok: false, message: `Invalid JSON payload: ${(error as Error).message}` };
  }
}

/** How a Truss server reports a model's own error (docs/baseten-api.md#error-bodies). */
export function sendModelError(exchange: Exchange, status: number, message: string, code: '500' | '600' | '700'): void {
  sendJson(exchange, status, { error: message }, { 'X-BASETEN-ERROR-SOURCE': '04', 'X-BASETEN-ERROR-CODE': code });
}

function numberField(value: unknown, field: string, fallback: number, max: number): number {
  const raw = isRecord(value) ? value[field] : undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) return fallback;
  return Math.min(Math.floor(raw), max);
}

/** 64 KiB of readable text, reused for big chunked bodies. */
const TEXT_BLOCK = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-+\n'.repeat(1024));
/** 64 KiB of the binary model's byte pattern: byte i is (31 i + 7) mod 256, a period that divides 64 Ki. */
const BINARY_BLOCK = Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 31 + 7) & 0xff));

export function binaryBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += BINARY_BLOCK.length) BINARY_BLOCK.copy(out, offset, 0, Math.min(BINARY_BLOCK.length, length - offset));
  return out;
}

async function streamBlocks(exchange: Exchange, block: Buffer, total: number): Promise<boolean> {
  for (let sent = 0; sent < total; sent += block.length) {
    if (!(await writeChunk(exchange, block.subarray(0, Math.min(block.length, total - sent))))) return false;
    if ((sent / block.length) % 16 === 15) await yieldToEventLoop();
  }
  return true;
}

/** What the failing model's server logs when its predict raises: Truss logs the exception with its traceback. */
export const PREDICT_TRACEBACK = [
  'Exception while running predict: RuntimeError: this model always fails',
  'Traceback (most recent call last):',
  '  File "/app/model/model.py", line 42, in predict',
  '    raise RuntimeError("this model always fails")',
  'RuntimeError: this model always fails',
].join('\n');

/** What the models read from the core: streaming pace (options, timers) and deployment logs (lifecycle). */
export interface PredictorCore {
  readonly state: EmulatorState;
  readonly options: ResolvedOptions;
  readonly timers: Timers;
  readonly lifecycle: Lifecycle;
}

async function pause(core: PredictorCore, exchange: Exchange, first: boolean): Promise<boolean> {
  if (first || core.options.tokenDelayMs === 0) return true;
  return core.timers.sleep(core.options.tokenDelayMs, exchange.signal);
}

async function chunked(core: PredictorCore, exchange: Exchange, value: unknown): Promise<void> {
  startStream(exchange, 200, { 'Content-Type': 'text/plain' });
  if (isRecord(value) && value.bytes !== undefined) {
    const total = numberField(value, 'bytes', 0, 8 * 1024 ** 3);
    if (await streamBlocks(exchange, TEXT_BLOCK, total)) endStream(exchange);
    return;
  }
  const count = numberField(value, 'chunks', 10, 10_000_000);
  for (let i = 0; i < count; i++) {
    if (!(await pause(core, exchange, i === 0))) return;
    if (!(await writeChunk(exchange, `chunk ${i + 1} of ${count}: streamed by the Baseten emulator\n`))) return;
    if (core.options.tokenDelayMs === 0 && i % 64 === 63) await yieldToEventLoop();
  }
  endStream(exchange);
}

async function events(core: PredictorCore, exchange: Exchange, value: unknown): Promise<void> {
  const count = numberField(value, 'events', 5, 10_000_000);
  startStream(exchange, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (let i = 0; i < count; i++) {
    if (!(await pause(core, exchange, i === 0))) return;
    const data = JSON.stringify({ index: i, text: `event ${i + 1} of ${count}`, done: i === count - 1 });
    if (!(await writeChunk(exchange, `data: ${data}\n\n`))) return;
    if (core.options.tokenDelayMs === 0 && i % 64 === 63) await yieldToEventLoop();
  }
  endStream(exchange);
}

async function binary(exchange: Exchange, value: unknown): Promise<void> {
  if (isRecord(value) && value.format === 'png') {
    const size = numberField(value, 'size', 64, 1024) || 64;
    sendJson(exchange, 200, { format: 'png', width: size, height: size, image: gradientPng(size, size).toString('base64') });
    return;
  }
  const total = numberField(value, 'bytes', 1024, 8 * 1024 ** 3);
  startStream(exchange, 200, { 'Content-Type': 'application/octet-stream', 'Content-Length': total });
  if (await streamBlocks(exchange, BINARY_BLOCK, total)) endStream(exchange);
}

function transform(value: unknown): { ok: true; output: unknown } | { ok: false; message: string } {
  if (!isRecord(value) || typeof value.text !== 'string') return { ok: false, message: 'Input must be a JSON object with a string field "text", e.g. {"text": "hello"}.' };
  return { ok: true, output: { text: value.text.toUpperCase(), length: value.text.length } };
}

/** A deployed OpenAI-compatible server (vLLM-like): the `model` field may be any name. */
export function deployedLlm(model: ModelState, deploymentId: string): ModelApiState {
  return {
    enabled: true,
    entry: {
      id: model.name,
      created: Math.floor(Date.parse(model.createdAt) / 1000),
      object: 'model',
      owned_by: 'baseten',
      name: model.name,
      description: 'An OpenAI-compatible LLM deployed on Baseten (emulated).',
      context_length: 32768,
      max_completion_tokens: 32768,
      quantization: 'fp8',
      pricing: { prompt: '0', completion: '0', image: '0', request: '0', input_cache_read: '0' },
      supported_sampling_parameters: ['temperature', 'stop', 'top_p', 'top_k'],
      supported_features: ['tools', 'json_mode', 'structured_outputs'],
      input_modalities: ['text'],
      output_modalities: ['text'],
    },
    behaviour: {
      wire: 'vllm',
      sendsServingHeaders: true,
      endsAbruptlyOnStopString: false,
      reasoningByDefault: false,
      reasoningEfforts: [],
      countsReasoningTokens: true,
      duplicateReasoningField: false,
      finishDeltaReasoning: false,
      shortAnswerAfterFinish: false,
      reasonsBeforeForcedToolCall: true,
      roleOnlyFirstChunk: true,
      toolStreaming: 'pieces-empty-id',
      toolArgumentsStyle: 'python',
      toolCallIdStyle: 'chatcmpl-tool',
      stopScope: 'content',
      vision: false,
      usageOnlyWhenAsked: true,
      imageRejection: 'This model does not support multimodal (image/video/audio) inputs.',
      maxTopLogprobs: 20,
      errorStyle: 'nested',
      promptOverheadTokens: 6,
      servingModelId: model.id,
      servingDeploymentId: deploymentId,
    },
  };
}

/** `{"prompt": "…"}` becomes a one-message chat. */
function chatBody(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.messages)) return value;
  if (typeof value.prompt === 'string') return { ...value, messages: [{ role: 'user', content: value.prompt }] };
  return undefined;
}

function modelName(body: Record<string, unknown>, model: ModelState): string {
  return typeof body.model === 'string' && body.model ? body.model : model.name;
}

async function llm(core: PredictorCore, exchange: Exchange, resolved: Resolved, model: ModelState, value: unknown): Promise<void> {
  const body = chatBody(value);
  if (!body) {
    sendModelError(exchange, 400, 'Send an OpenAI chat body ({"messages": [...]}) or {"prompt": "..."}.', '700');
    return;
  }
  await serveChat(core, exchange, deployedLlm(model, resolved.deployment.id), body, modelName(body, model));
}

/** Sync `predict` (models) and `run_remote` (chains). */
export async function servePredict(core: PredictorCore, exchange: Exchange, resolved: Resolved, replica: string | null = null): Promise<void> {
  const read = readPredictInput(exchange);
  if (!read.ok) {
    sendModelError(exchange, 400, read.message, '700');
    return;
  }
  const input = read.input;
  if (resolved.owner.kind === 'chain') {
    if (input.kind !== 'json') {
      sendModelError(exchange, 400, 'run_remote takes a JSON body matching the entrypoint signature.', '700');
      return;
    }
    sendJson(exchange, 200, { output: input.value });
    return;
  }
  const model = resolved.owner.model;
  const value = input.kind === 'json' ? input.value : undefined;
  // A deployment built from an uploaded Truss runs its own model.py (upload/trussPredict.ts).
  const truss = trussSourceOf(core, resolved.deployment);
  if (truss) return serveTrussPredict(core, exchange, resolved.deployment, truss, input);
  switch (model.behaviour) {
    case 'echo':
      if (input.kind === 'json') sendJson(exchange, 200, input.value);
      else sendText(exchange, 200, input.data, input.contentType);
      return;
    case 'transform': {
      const result = transform(value);
      if (result.ok) sendJson(exchange, 200, result.output);
      else sendModelError(exchange, 400, result.message, '700');
      return;
    }
    case 'chunked':
      return chunked(core, exchange, value);
    case 'sse':
      return events(core, exchange, value);
    case 'binary':
      return binary(exchange, value);
    case 'slow': {
      const delay = numberField(value, 'delay_ms', 2000, 1_200_000);
      if (await core.timers.sleep(delay, exchange.signal)) sendJson(exchange, 200, { delay_ms: delay, input: value ?? null });
      return;
    }
    case 'failing':
      core.lifecycle.log(resolved.deployment, PREDICT_TRACEBACK, 'ERROR', exchange.requestId, replica);
      sendModelError(exchange, 500, 'Internal Server Error (in model).', '600');
      return;
    case 'llm':
      return llm(core, exchange, resolved, model, value);
  }
}

/**
 * `…/sync/{route}`: the model server's own routes. Every model answers Truss's readiness probe
 * (`v1/models/model`) and `predict`; the LLM also serves OpenAI's `v1/chat/completions` and `v1/models`.
 */
export async function serveSync(core: PredictorCore, exchange: Exchange, resolved: Resolved, route: string, replica: string | null = null): Promise<void> {
  const method = exchange.method;
  const notFound = (): void => sendJson(exchange, 404, { detail: 'Not Found' });
  const notAllowed = (): void => sendJson(exchange, 405, { detail: 'Method Not Allowed' });
  if (resolved.owner.kind === 'chain') return notFound();
  const model = resolved.owner.model;
  switch (route) {
    case 'health':
    case 'v1/models/model':
      if (method !== 'GET') return notAllowed();
      return sendJson(exchange, 200, route === 'health' ? { status: 'ok' } : {});
    case 'predict':
    case 'v1/models/model:predict':
      if (method !== 'POST') return notAllowed();
      return servePredict(core, exchange, resolved, replica);
  }
  if (model.behaviour !== 'llm') return notFound();
  if (route === 'v1/models') {
    if (method !== 'GET') return notAllowed();
    return sendJson(exchange, 200, {
      object: 'list',
      data: [{ id: model.name, object: 'model', created: Math.floor(Date.parse(model.createdAt) / 1000), owned_by: 'baseten', root: model.name, max_model_len: 32768 }],
    });
  }
  if (route === 'v1/chat/completions') {
    if (method !== 'POST') return notAllowed();
    const read = readPredictInput(exchange);
    if (!read.ok || read.input.kind !== 'json' || !isRecord(read.input.value)) {
      return sendText(exchange, 400, `${JSON.stringify({ error: { code: 400, message: 'The request body must be a JSON object.', type: 'Bad Request' } }, null, '\t')}\n`, 'application/json');
    }
    const body = read.input.value;
    return serveChat(core, exchange, deployedLlm(model, resolved.deployment.id), body, modelName(body, model));
  }
  return notFound();
}

export type AsyncRun = { ok: true; output: unknown } | { ok: false; code: AsyncErrorCode; message: string; retryable: boolean };

/** What an async request produces: the model's JSON output, or the error it ends with. */
export function runAsync(resolved: Resolved, input: unknown): AsyncRun {
  if (isRecord(input) && input.fail === true) {
    return { ok: false, code: 'MODEL_PREDICT_ERROR', message: 'Exception in predict: the input asked the model to fail ({"fail": true}).', retryable: true };
  }
  if (resolved.owner.kind === 'chain') return { ok: true, output: { output: input } };
  const model = resolved.owner.model;
  switch (model.behaviour) {
    case 'echo':
      return { ok: true, output: input };
    case 'slow':
      return { ok: true, output: { delay_ms: numberField(input, 'delay_ms', 2000, 1_200_000), input } };
    case 'transform': {
      const result = transform(input);
      return result.ok ? result : { ok: false, code: 'MODEL_INVALID_INPUT', message: result.message, retryable: false };
    }
    case 'failing':
      return { ok: false, code: 'MODEL_PREDICT_ERROR', message: 'Internal Server Error (in model).', retryable: true };
    case 'chunked': {
      const count = numberField(input, 'chunks', 10, 10_000);
      return { ok: true, output: Array.from({ length: count }, (_, i) => `chunk ${i + 1} of ${count}: streamed by the Baseten emulator\n`).join('') };
    }
    case 'sse': {
      const count = numberField(input, 'events', 5, 10_000);
      return { ok: true, output: Array.from({ length: count }, (_, i) => ({ index: i, text: `event ${i + 1} of ${count}`, done: i === count - 1 })) };
    }
    case 'binary': {
      const total = numberField(input, 'bytes', 1024, 1024 * 1024);
      return { ok: true, output: { bytes: total, data: binaryBytes(total).toString('base64') } };
    }
    case 'llm': {
      const body = chatBody(input);
      if (!body) return { ok: false, code: 'MODEL_INVALID_INPUT', message: 'Send an OpenAI chat body ({"messages": [...]}) or {"prompt": "..."}.', retryable: false };
      const prepared = prepareChat(deployedLlm(model, resolved.deployment.id), { ...body, stream: false }, modelName(body, model));
      if (!prepared.ok) return { ok: false, code: 'MODEL_INVALID_INPUT', message: prepared.message, retryable: false };
      return { ok: true, output: completeChat(prepared) };
    }
  }
}

/** Extra run time an async input asks for: `sleep_ms`, or the slow model's `delay_ms`. */
export function asyncExtraMs(resolved: Resolved, input: unknown): number {
  const sleep = numberField(input, 'sleep_ms', 0, 3_600_000);
  if (resolved.owner.kind === 'model' && resolved.owner.model.behaviour === 'slow') return sleep + numberField(input, 'delay_ms', 2000, 1_200_000);
  return sleep;
}

