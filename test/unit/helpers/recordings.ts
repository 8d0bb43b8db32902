/**
 * Reads the recorded Baseten traffic (the facts of go-vcr cassettes, kept as JSON in test/fixtures), and
 * computes what a recorded chat answer says with a parse of its own: deliberately simpler than the
 * client's, so a test compares the client against the recording and not against itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RECORDINGS_DIR } from './fixtures';

export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string[]>;
}

export interface RecordedResponse {
  code: number;
  headers: Record<string, string[]>;
  /** Exactly as sent (SSE included). */
  body: string;
}

export interface RecordedInteraction {
  id: number;
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface Recording {
  /** Absolute path of the recording's file. */
  file: string;
  /** Path relative to the recordings root, with `/` separators. */
  name: string;
  /** Folder relative to the root (`.` for files at the root). */
  folder: string;
  interactions: RecordedInteraction[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

function headerMap(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    out[name] = Array.isArray(values) ? values.map(String) : [String(values)];
  }
  return out;
}

/** `name` is relative to the recordings folder, with `/` separators: `TestClient/Warmup.json`. */
export function loadRecording(name: string): Recording {
  const file = join(RECORDINGS_DIR, name);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { interactions?: Array<Record<string, Record<string, unknown>>> };
  const folder = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '.';
  const interactions = (doc.interactions ?? []).map((raw, index) => {
    const request = raw.request ?? {};
    const response = raw.response ?? {};
    return {
      id: typeof raw.id === 'number' ? raw.id : index,
      request: {
        method: String(request.method ?? 'GET'),
        url: String(request.url ?? ''),
        body: typeof request.body === 'string' ? request.body : '',
        headers: headerMap(request.headers),
      },
      response: {
        code: Number(response.code),
        headers: headerMap(response.headers),
        body: typeof response.body === 'string' ? response.body : '',
      },
    };
  });
  return { file, name, folder, interactions };
}

/** Every recording, in a stable order. */
export function loadRecordings(): Recording[] {
  return walk(RECORDINGS_DIR).map((file) => loadRecording(relative(RECORDINGS_DIR, file).split(sep).join('/')));
}

export function recordedHeader(headers: Record<string, string[]>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1][0];
}

// ---------------------------------------------------------------- what a recorded answer says

export interface ExpectedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ExpectedChat {
  id?: string;
  model?: string;
  text: string;
  reasoning: string;
  toolCalls: ExpectedToolCall[];
  usage?: unknown;
  finishReason?: string;
  /** Whether the stream carried `data: [DONE]`. */
  done: boolean;
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The `data:` payloads of an SSE body, split by lines: every line starting with `data:` is one event
 * (Baseten sends one data line per event). `[DONE]` is returned as is.
 */
export function sseDataLines(body: string): string[] {
  return body
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''));
}

/** The answer a recorded stream carries: choice 0's content, reasoning and tool calls, the last usage. */
export function expectedFromStream(body: string): ExpectedChat {
  const expected: ExpectedChat = { text: '', reasoning: '', toolCalls: [], done: false };
  const calls = new Map<number, ExpectedToolCall>();
  for (const data of sseDataLines(body)) {
    if (data === '[DONE]') {
      expected.done = true;
      break;
    }
    const chunk = JSON.parse(data) as Json;
    if (expected.id === undefined && typeof chunk.id === 'string') expected.id = chunk.id;
    if (expected.model === undefined && typeof chunk.model === 'string') expected.model = chunk.model;
    if (chunk.usage) expected.usage = chunk.usage;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Json[]) : [];
    for (const choice of choices) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = asRecord(choice.delta) ?? {};
      expected.text += asString(delta.content);
      expected.reasoning += asString(delta.reasoning_content) || asString(delta.reasoning);
      for (const raw of (Array.isArray(delta.tool_calls) ? delta.tool_calls : []) as Json[]) {
        const index = Number(raw.index ?? 0);
        const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
        const fn = asRecord(raw.function) ?? {};
        if (!call.id) call.id = asString(raw.id);
        if (!call.name) call.name = asString(fn.name);
        call.arguments += asString(fn.arguments);
        calls.set(index, call);
      }
      if (typeof choice.finish_reason === 'string') expected.finishReason = choice.finish_reason;
    }
  }
  expected.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return expected;
}

/** The answer a recorded non-streaming completion carries. */
export function expectedFromCompletion(body: string): ExpectedChat {
  const json = JSON.parse(body) as Json;
  const choice = (json.choices as Json[])[0];
  const message = asRecord(choice.message) ?? {};
  const toolCalls = ((Array.isArray(message.tool_calls) ? message.tool_calls : []) as Json[]).map((raw) => {
    const fn = asRecord(raw.function) ?? {};
    return {
      id: asString(raw.id),
      name: asString(fn.name),
      arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments),
    };
  });
  return {
    id: asString(json.id),
    model: asString(json.model),
    text: asString(message.content),
    reasoning: asString(message.reasoning_content) || asString(message.reasoning),
    toolCalls,
    usage: json.usage ?? undefined,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    done: true,
  };
}

/** The human message of a recorded error body, whichever of Baseten's shapes it has. */
export function expectedErrorMessage(body: string): string {
  const json = JSON.parse(body) as Json;
  if (typeof json.error === 'string') return json.error;
  const nested = asRecord(json.error);
  if (nested && typeof nested.message === 'string') return nested.message;
  if (typeof json.message === 'string') return json.message;
  throw new Error(`No message in recorded error body: ${body}`);
}
