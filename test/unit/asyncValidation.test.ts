import * as assert from 'node:assert/strict';
import { ASYNC_MAX_BODY_BYTES, findAsyncPredictIssues, validateAsyncPredictRequest } from '../../src/client/asyncValidation';
import { BasetenError } from '../../src/client/errors';
import type { AsyncPredictRequest } from '../../src/client/types';

const base: AsyncPredictRequest = { model_input: { prompt: 'hi' } };

function rejects(request: AsyncPredictRequest, field: string, ...mustMention: string[]): BasetenError {
  let caught: unknown;
  try {
    validateAsyncPredictRequest(request);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof BasetenError, `expected a BasetenError for the request with ${field} set`);
  assert.equal(caught.kind, 'validation');
  assert.equal(caught.code, field);
  assert.ok(caught.message.includes(field), `message names ${field}: ${caught.message}`);
  for (const text of mustMention) assert.ok(caught.message.includes(text), `message mentions ${text}: ${caught.message}`);
  return caught;
}

function accepts(request: AsyncPredictRequest): void {
  const { body, bytes } = validateAsyncPredictRequest(request);
  assert.deepEqual(JSON.parse(body), request);
  assert.equal(bytes, Buffer.byteLength(body));
}

interface Bound {
  field: string;
  min: number;
  max: number;
  build: (value: unknown) => AsyncPredictRequest;
}

const bounds: Bound[] = [
  { field: 'priority', min: 0, max: 2, build: (v) => ({ ...base, priority: v as number }) },
  { field: 'max_time_in_queue_seconds', min: 10, max: 259_200, build: (v) => ({ ...base, max_time_in_queue_seconds: v as number }) },
  {
    field: 'inference_retry_config.max_attempts',
    min: 1,
    max: 10,
    build: (v) => ({ ...base, inference_retry_config: { max_attempts: v as number } }),
  },
  {
    field: 'inference_retry_config.initial_delay_ms',
    min: 0,
    max: 10_000,
    build: (v) => ({ ...base, inference_retry_config: { initial_delay_ms: v as number } }),
  },
  {
    field: 'inference_retry_config.max_delay_ms',
    min: 0,
    max: 60_000,
    build: (v) => ({ ...base, inference_retry_config: { max_delay_ms: v as number } }),
  },
];

describe('validateAsyncPredictRequest', () => {
  it('accepts a minimal request and returns the exact body that will be sent', () => {
    accepts(base);
  });

  it('accepts a request with every field at a valid value', () => {
    accepts({
      model_input: { a: [1, 2, { b: null }] },
      webhook_endpoint: 'https://example.com/hook',
      priority: 1,
      max_time_in_queue_seconds: 600,
      inference_retry_config: { max_attempts: 3, initial_delay_ms: 1000, max_delay_ms: 5000 },
    });
  });

  for (const bound of bounds) {
    describe(bound.field, () => {
      it(`accepts both ends of ${bound.min}..${bound.max}`, () => {
        accepts(bound.build(bound.min));
        accepts(bound.build(bound.max));
      });
      it(`refuses ${bound.min - 1}, just below the range, naming the field and the range`, () => {
        rejects(bound.build(bound.min - 1), bound.field, `${bound.min} to ${bound.max}`, `got ${bound.min - 1}`);
      });
      it(`refuses ${bound.max + 1}, just above the range`, () => {
        rejects(bound.build(bound.max + 1), bound.field, `${bound.min} to ${bound.max}`, `got ${bound.max + 1}`);
      });
      it('refuses a fraction, a numeric string and NaN (integers only)', () => {
        rejects(bound.build(bound.min + 0.5), bound.field, 'integer');
        rejects(bound.build(String(bound.min)), bound.field, 'integer');
        rejects(bound.build(Number.NaN), bound.field, 'integer');
      });
    });
  }

  describe('model_input', () => {
    it('is required', () => {
      rejects({} as AsyncPredictRequest, 'model_input', 'required');
    });
    it('must be a JSON object, as the spec types it', () => {
      rejects({ model_input: 'text' }, 'model_input', 'object');
      rejects({ model_input: [1, 2] }, 'model_input', 'object');
      rejects({ model_input: null }, 'model_input', 'object');
    });
    it('must be JSON-serialisable (a cycle or a BigInt is refused)', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      rejects({ model_input: cyclic }, 'model_input', 'JSON-serialisable');
      rejects({ model_input: { n: BigInt(1) } }, 'model_input', 'JSON-serialisable');
    });
  });

  describe('webhook_endpoint', () => {
    it('accepts https anywhere, and http only on localhost / 127.0.0.1', () => {
      accepts({ ...base, webhook_endpoint: 'https://hooks.example.com/baseten?x=1' });
      accepts({ ...base, webhook_endpoint: 'http://localhost:8080/hook' });
      accepts({ ...base, webhook_endpoint: 'http://127.0.0.1:9000/hook' });
    });
    it('refuses plain http on a public host, saying https is required', () => {
      rejects({ ...base, webhook_endpoint: 'http://example.com/hook' }, 'webhook_endpoint', 'https');
    });
    it('refuses other schemes, relative paths and non-strings', () => {
      rejects({ ...base, webhook_endpoint: 'ftp://example.com/hook' }, 'webhook_endpoint', 'https');
      rejects({ ...base, webhook_endpoint: '/hook' }, 'webhook_endpoint', 'not a valid URL');
      rejects({ ...base, webhook_endpoint: 42 as unknown as string }, 'webhook_endpoint', 'https');
      rejects({ ...base, webhook_endpoint: '' }, 'webhook_endpoint');
    });
  });

  it('refuses inference_retry_config that is not an object', () => {
    rejects({ ...base, inference_retry_config: 5 as unknown as object }, 'inference_retry_config', 'object');
  });

  describe('256 KiB body limit', () => {
    const overhead = Buffer.byteLength(JSON.stringify({ model_input: { s: '' } }));
    it('accepts a body of exactly 262,144 bytes', () => {
      const request = { model_input: { s: 'x'.repeat(ASYNC_MAX_BODY_BYTES - overhead) } };
      assert.equal(Buffer.byteLength(JSON.stringify(request)), ASYNC_MAX_BODY_BYTES);
      accepts(request);
    });
    it('refuses one byte more, giving the actual size and the limit', () => {
      const request = { model_input: { s: 'x'.repeat(ASYNC_MAX_BODY_BYTES - overhead + 1) } };
      const error = rejects(request, 'model_input', '262,145 bytes', '262,144 bytes', '256 KiB');
      assert.equal(error.area, 'inference');
    });
    it('counts UTF-8 bytes, not characters', () => {
      // 'é' is two bytes: 131,072 of them is exactly 256 KiB of payload before the JSON around it.
      rejects({ model_input: { s: 'é'.repeat(131_072) } }, 'model_input', 'bytes');
    });
    it('uses a raised per-organisation limit when given one', () => {
      const request = { model_input: { s: 'x'.repeat(300_000) } };
      assert.doesNotThrow(() => validateAsyncPredictRequest(request, { maxBodyBytes: 1024 * 1024 }));
    });
  });

  it('lists every problem at once for a form to show', () => {
    const issues = findAsyncPredictIssues({ model_input: {}, priority: 5, max_time_in_queue_seconds: 1, webhook_endpoint: 'http://x.io' });
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['webhook_endpoint', 'priority', 'max_time_in_queue_seconds'],
    );
  });
});
