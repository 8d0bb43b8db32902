/**
 * Error bodies in every shape Baseten sends, the messages a person reads for each status and API area,
 * `Retry-After`, and the rule that the API key never reaches an error or a log line, even when a server
 * echoes it back.
 */
import * as assert from 'node:assert/strict';
import {
  BasetenClient,
  BasetenError,
  RETRYABLE_STATUSES,
  RequestLogEntry,
  describeFailure,
  httpError,
  parseErrorBody,
  parseRetryAfter,
  redactSecret,
  truncateBody,
} from '../../src/client';
import { HttpClient } from '../../src/client/http';
import { TestServer, startTestServer } from './helpers/replayServer';

describe('parseErrorBody', () => {
  const cases: Array<[string, string, { message?: string; code?: string; type?: string }]> = [
    // Model APIs, the three observed shapes (docs/baseten-api.md#error-bodies).
    ['a plain string error (403 bad key)', '{"error":"please check the api-key you provided"}\n', { message: 'please check the api-key you provided' }],
    [
      'a nested error object (DeepSeek, gpt-oss), pretty-printed with tabs',
      '{\n\t"error": {\n\t\t"code": 400,\n\t\t"message": "Validation: `response_format.json_schema.name` cannot be empty",\n\t\t"type": "Bad Request"\n\t}\n}',
      { message: 'Validation: `response_format.json_schema.name` cannot be empty', code: '400', type: 'Bad Request' },
    ],
    [
      'a top-level message (GLM-5.2)',
      '{"message":"This model does not support logprobs > 1 due to advanced speculative decoding.","type":"Bad Request","code":400}',
      { message: 'This model does not support logprobs > 1 due to advanced speculative decoding.', code: '400', type: 'Bad Request' },
    ],
    // Deployed models (docs/baseten-api.md#error-bodies).
    ['{"error": …} from a deployment', '{"error": "Error making prediction"}', { message: 'Error making prediction' }],
    [
      '{error, error_code, detail} of the inference spec',
      '{"error":"Model is not ready","error_code":"model_not_ready","detail":"The replica is still loading weights"}',
      { message: 'Model is not ready (The replica is still loading weights)', code: 'model_not_ready' },
    ],
    ['error_code with the same detail is not repeated', '{"error":"Timed out","error_code":"timeout","detail":"Timed out"}', { message: 'Timed out', code: 'timeout' }],
    ['a nested error with error_code beside it', '{"error":{"message":"bad input"},"error_code":"client_error"}', { message: 'bad input', code: 'client_error' }],
    // Management API.
    ['a management {"message"}', '{"message":"Model not found"}', { message: 'Model not found' }],
    ['a management {"detail"}', '{"detail":"Authentication credentials were not provided."}', { message: 'Authentication credentials were not provided.' }],
    [
      'a FastAPI validation list',
      '{"detail":[{"loc":["body","model_input","text"],"msg":"field required","type":"value_error.missing"},{"loc":["query","limit"],"msg":"must be <= 1000"}]}',
      { message: 'body.model_input.text: field required; query.limit: must be <= 1000' },
    ],
    ['a detail list of strings', '{"detail":["first problem","second problem"]}', { message: 'first problem; second problem' }],
    // Not JSON at all.
    ['plain text', 'upstream connect error or disconnect/reset before headers. reset reason: overflow', { message: 'upstream connect error or disconnect/reset before headers. reset reason: overflow' }],
    [
      'an HTML error page',
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>',
      { message: '502 Bad Gateway 502 Bad Gateway nginx' },
    ],
    ['a JSON string', '"Internal Server Error (in model/chainlet)."', { message: 'Internal Server Error (in model/chainlet).' }],
    ['a JSON object with none of the known fields', '{"foo":"bar"}', { message: '{"foo":"bar"}' }],
  ];

  for (const [name, body, expected] of cases) {
    it(`reads ${name}`, () => {
      const parsed = parseErrorBody(body);
      assert.equal(parsed.message, expected.message);
      if ('code' in expected) assert.equal(parsed.code, expected.code);
      if ('type' in expected) assert.equal(parsed.type, expected.type);
    });
  }

  it('an empty or blank body has no message', () => {
    assert.deepEqual(parseErrorBody(''), {});
    assert.deepEqual(parseErrorBody('  \r\n\t'), {});
  });

  it('a huge body gives a short message, in every shape', () => {
    const huge = 'x'.repeat(1_000_000);
    const shapes = [huge, `<html><body>${huge}</body></html>`, JSON.stringify({ error: huge }), JSON.stringify({ error: { message: huge } }), JSON.stringify({ message: huge }), JSON.stringify({ detail: huge })];
    for (const body of shapes) {
      const message = parseErrorBody(body).message ?? '';
      assert.ok(message.startsWith('xxxx'), body.slice(0, 30));
      assert.ok(message.length <= 1_000, `${body.slice(0, 30)}: ${message.length} characters`);
    }
  });
});

describe('httpError', () => {
  const BAD_KEY = '{"error":"please check the api-key you provided"}';

  it('401/403 on Model APIs tells the user to check the key, with Baseten\'s words', () => {
    for (const status of [401, 403]) {
      const error = httpError({ status, body: BAD_KEY, area: 'model_apis' });
      assert.equal(error.kind, 'http');
      assert.equal(error.status, status);
      assert.equal(error.retryable, false);
      assert.match(error.message, /rejected the API key/);
      assert.ok(error.message.includes('please check the api-key you provided'));
      assert.ok(!error.message.includes('HTTP'), `the status is not repeated in the message: ${error.message}`);
      assert.equal(error.detail(), `HTTP ${status}`);
    }
  });

  it('401/403 on the management API explains that the key may be invoke-only', () => {
    for (const status of [401, 403]) {
      const error = httpError({ status, body: '{"detail":"Forbidden"}', area: 'management' });
      assert.match(error.message, /cannot use the management API/);
      assert.match(error.message, /invoke-only/);
      assert.ok(error.message.includes('Forbidden'));
    }
  });

  it('404 on Model APIs says the model may not be enabled in this workspace', () => {
    const error = httpError({ status: 404, body: '{"error":"model not found"}', area: 'model_apis' });
    assert.match(error.message, /not enabled in this workspace/);
    assert.ok(error.message.includes('model not found'));
    const inference = httpError({ status: 404, body: '', area: 'inference' });
    assert.match(inference.message, /does not exist or is deactivated/);
    assert.doesNotMatch(inference.message, /workspace/);
  });

  it('429 says when to retry, when Baseten said so', () => {
    const error = httpError({ status: 429, body: '{"error":"rate limited"}', area: 'model_apis', retryAfterMs: 30_000 });
    assert.match(error.message, /Rate limited by Baseten; retry after 30 s/);
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(error.retryable, true);
    assert.doesNotMatch(httpError({ status: 429, body: '' }).message, /retry after/);
  });

  it('each status has its own explanation, and only 429/500/502/503/504 are retryable', () => {
    const seen = new Set<string>();
    for (const status of [400, 401, 402, 404, 408, 413, 422, 429, 500, 502, 503, 504, 418, 599]) {
      const error = httpError({ status, body: '', area: 'inference' });
      assert.equal(error.retryable, RETRYABLE_STATUSES.has(status), `status ${status}`);
      assert.equal(error.retryable, [429, 500, 502, 503, 504].includes(status), `status ${status}`);
      seen.add(error.message);
    }
    assert.ok(seen.size >= 12, 'statuses are explained differently');
    assert.match(httpError({ status: 500, body: '', area: 'inference' }).message, /cold start/);
    assert.match(httpError({ status: 402, body: '' }).message, /billing/);
    assert.match(httpError({ status: 413, body: '' }).message, /too large/);
  });

  it('marks errors raised by the model itself (X-BASETEN-ERROR-SOURCE: 04), and keeps code and request id', () => {
    const error = httpError({
      status: 500,
      body: '{"error":"Internal Server Error (in model/chainlet)."}',
      area: 'inference',
      errorSource: '04',
      requestId: 'req-123',
      method: 'POST',
      url: 'https://model-abcd1234.api.baseten.co/production/predict',
    });
    assert.equal(error.message, 'The model failed: Internal Server Error (in model/chainlet).');
    assert.equal(error.fromModel, true);
    assert.equal(error.detail(), 'HTTP 500 from the model · request req-123');
    assert.equal(error.requestId, 'req-123');
    assert.equal(error.method, 'POST');
    assert.match(error.describe(), /request req-123/);
    const coded = httpError({ status: 400, body: '{"error":{"code":400,"message":"bad","type":"Bad Request"}}' });
    assert.equal(coded.code, '400');
    const typed = httpError({ status: 503, body: '{"error":"down","error_code":"model_unavailable"}' });
    assert.equal(typed.code, 'model_unavailable');
  });

  it('keeps at most a few KiB of the body', () => {
    const error = httpError({ status: 500, body: 'y'.repeat(100_000) });
    assert.ok((error.body ?? '').length < 5_000);
    assert.match(truncateBody('z'.repeat(5000), 4096), /… \(904 more characters\)$/);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-08-01T12:00:00Z');

  it('reads seconds', () => {
    assert.equal(parseRetryAfter('5', now), 5_000);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('1.5', now), 1_500);
  });

  it('reads an HTTP date, in the future or already past', () => {
    assert.equal(parseRetryAfter('Sat, 01 Aug 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Aug 2026 11:00:00 GMT', now), 0);
  });

  it('ignores junk instead of retrying at once', () => {
    for (const junk of ['', 'soon', '-1', '5s', '1 2', 'NaN', '0x10', 'Infinity', '12 monkeys']) {
      assert.equal(parseRetryAfter(junk, now), undefined, JSON.stringify(junk));
    }
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('redactSecret', () => {
  it('replaces every occurrence of the key', () => {
    assert.equal(redactSecret('a KEY1 b KEY1c', 'KEY1'), 'a [REDACTED] b [REDACTED]c');
    assert.equal(redactSecret('x abcd.1234 y abcd.1234', 'abcd.1234'), 'x [REDACTED] y [REDACTED]');
  });

  it('leaves the text alone without a key, or with one too short to be a key', () => {
    assert.equal(redactSecret('abc', undefined), 'abc');
    assert.equal(redactSecret('abc', ''), 'abc');
    assert.equal(redactSecret('a b c', 'a'), 'a b c');
  });
});

describe('the API key never appears in an error or a log entry', function () {
  this.timeout(10_000);
  const KEY = 'sEcReT42.EchoedBackByAServerThatShouldNotHaveDoneThat';
  let server: TestServer;
  let logs: RequestLogEntry[];
  let client: BasetenClient;

  before(async () => {
    server = await startTestServer((request, res) => {
      const auth = String(request.headers.authorization);
      const echoed = `you sent "${auth}" and ${auth.split(' ')[1]}`;
      switch (request.url) {
        case '/v1/bad-request':
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: echoed, type: 'Bad Request', code: 400 } }));
          return;
        case '/v1/html':
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end(`<html><body><h1>Bad gateway</h1><pre>${echoed}</pre></body></html>`);
          return;
        case '/v1/not-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`not json: ${echoed}`);
          return;
        case '/v1/chat/completions':
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(`data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { content: 'hi' } }] })}\n\n`);
          res.end(`data: {"error":{"message":${JSON.stringify(echoed)}}}\n\ndata: {broken ${echoed}\n\n`);
          return;
        default:
          res.writeHead(404);
          res.end(echoed);
      }
    });
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    logs = [];
    client = new BasetenClient({
      apiKey: KEY,
      endpoints: { modelApisBaseUrl: `${server.origin}/v1` },
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      onLog: (entry) => logs.push(entry),
    });
  });
  afterEach(async () => {
    await client.destroy();
  });

  function assertNoKey(error: unknown, what: string): void {
    assert.ok(error instanceof BasetenError, `${what}: ${String(error)}`);
    for (const [field, value] of Object.entries({
      message: error.message,
      body: error.body,
      describe: error.describe(),
      stack: error.stack,
      string: String(error),
      json: JSON.stringify(error),
      partial: JSON.stringify(error.partial ?? null),
    })) {
      assert.ok(!String(value).includes(KEY), `${what}: the key leaked into ${field}: ${String(value).slice(0, 300)}`);
    }
    const logText = JSON.stringify(logs);
    assert.ok(logs.length > 0, `${what}: the request was logged`);
    assert.ok(!logText.includes(KEY), `${what}: the key leaked into the log: ${logText.slice(0, 500)}`);
    for (const entry of logs) assert.equal(entry.headers.authorization, 'Bearer [REDACTED]');
  }

  async function failure(call: () => Promise<unknown>): Promise<unknown> {
    try {
      await call();
    } catch (error) {
      return error;
    }
    throw new Error('expected the call to fail');
  }

  it('a 400 whose body echoes the Authorization header', async () => {
    const error = await failure(() => client.http.send({ method: 'POST', url: `${server.origin}/v1/bad-request`, area: 'model_apis', json: {} }));
    assertNoKey(error, '400');
    // The server did get the key, and the message still says what the server said around it.
    assert.ok((error as BasetenError).message.includes('you sent "Bearer [REDACTED]"'));
    assert.equal(server.received.at(-1)?.headers.authorization, `Bearer ${KEY}`);
  });

  it('a retried 502 HTML page that echoes it (every attempt logged)', async () => {
    const error = await failure(() => client.http.send({ method: 'GET', url: `${server.origin}/v1/html`, area: 'inference' }));
    assertNoKey(error, '502');
    assert.equal(logs.length, 2);
    assert.equal(logs[0].retryInMs !== undefined, true);
  });

  it('a 200 whose body is not JSON and echoes it', async () => {
    const error = await failure(async () => (await client.http.send({ method: 'GET', url: `${server.origin}/v1/not-json`, area: 'management' })).json());
    assert.equal((error as BasetenError).kind, 'protocol');
    assertNoKey(error, '200 with bad JSON');
  });

  it('a stream that reports an error echoing it', async () => {
    const stream = await client.modelApis.chatStream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const error = await failure(() => stream.final());
    assertNoKey(error, 'mid-stream error');
    assert.equal(((error as BasetenError).partial as { text: string }).text, 'hi');
  });

  it('the key in a key function is redacted too, and the Api-Key scheme is redacted in the log', async () => {
    const http = new HttpClient({ apiKey: () => KEY, authScheme: 'Api-Key', retry: { maxAttempts: 1 }, onLog: (entry) => logs.push(entry) });
    try {
      const error = await failure(() => http.send({ method: 'POST', url: `${server.origin}/v1/bad-request`, area: 'model_apis', json: {} }));
      assert.ok(!(error as Error).message.includes(KEY));
      assert.equal(logs[0].headers.authorization, 'Api-Key [REDACTED]');
      assert.equal(server.received.at(-1)?.headers.authorization, `Api-Key ${KEY}`);
    } finally {
      await http.destroy();
    }
  });
});

describe('describeFailure: the one error style', () => {
  it("says what happened once, puts the status and request id on the detail line, and offers the next action", () => {
    const model400 = httpError({ status: 400, body: '{"error":"Expecting value"}', area: 'inference', errorSource: '04', requestId: 'req-9' });
    const plain = describeFailure('Predict on echo · production', model400);
    assert.equal(plain.message, 'Predict on echo · production failed: the model refused the input: Expecting value.');
    assert.equal(plain.detail, 'HTTP 400 from the model · request req-9');
    assert.equal(plain.action, 'show_logs');
    assert.doesNotMatch(plain.message, /HTTP|\(error raised/);
    const wrapped = describeFailure('Predict on echo · production', model400, { wrappedText: true });
    assert.equal(wrapped.action, 'input_template');
    assert.match(wrapped.message, /input template/);
    assert.equal(describeFailure('Listing models', httpError({ status: 401, body: '', area: 'model_apis' })).action, 'set_key');
    assert.equal(describeFailure('Waking echo · production', new Error('boom')).message, 'Waking echo · production failed: boom.');
  });
});
