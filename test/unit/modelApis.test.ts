/**
 * The Model APIs client against the emulator: the catalogue, chat whole and streamed for every seeded
 * Model API (reasoning, tool calls in each engine's style, usage, finish reasons, JSON output), what is
 * sent, errors, a 429 with Retry-After, cancellation and a long stream.
 */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import { BasetenClient, BasetenError, ChatCompletionRequest, ChatResult, ChatStreamEvent, ToolDefinition, pricePerMillionTokens } from '../../src/client';
import { Emulator, caught, emulatorClient, eventually, useEmulatorClient } from './helpers/client';
import { sseDataLines } from './helpers/recordings';

type Json = Record<string, unknown>;

const DEEPSEEK = 'deepseek-ai/DeepSeek-V4-Pro';
const GPT_OSS = 'openai/gpt-oss-120b';
const GLM = 'zai-org/GLM-5.2';
const KIMI = 'moonshotai/Kimi-K2.6';

/** Reasoning on by default (docs/baseten-api.md#reasoning); Kimi K2.6 only with `chat_template_args.enable_thinking`. */
const REASONS_BY_DEFAULT: Record<string, boolean> = { [DEEPSEEK]: true, [GPT_OSS]: true, [GLM]: true, [KIMI]: false };

const SQUARE_ROOT: ToolDefinition = {
  type: 'function',
  function: {
    name: 'square_root',
    description: 'Calculates and return the square root of a number',
    parameters: { type: 'object', properties: { number: { type: 'number' } }, required: ['number'], additionalProperties: false },
  },
};

const user = (content: string): ChatCompletionRequest['messages'] => [{ role: 'user', content }];

describe('Model APIs against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;

  useEmulatorClient({ emulator: { tokenDelayMs: 0 } }, (current) => ({ emulator, client } = current));

  /** The raw SSE of a streamed request: every chunk as JSON, and whether `[DONE]` came. */
  async function rawStream(request: ChatCompletionRequest): Promise<{ chunks: Json[]; done: boolean }> {
    const response = await client.http.send({
      method: 'POST',
      url: `${emulator.endpoints.modelApisBaseUrl}/chat/completions`,
      area: 'model_apis',
      json: { ...request, stream: true },
      accept: 'text/event-stream',
    });
    const lines = sseDataLines(await response.text());
    const done = lines.at(-1) === '[DONE]';
    return { chunks: lines.filter((line) => line !== '[DONE]').map((line) => JSON.parse(line) as Json), done };
  }

  async function streamed(request: ChatCompletionRequest): Promise<{ result: ChatResult; events: ChatStreamEvent[] }> {
    const stream = await client.modelApis.chatStream(request);
    const events: ChatStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return { result: stream.result, events };
  }

  const toolDeltas = (chunks: Json[]): Json[] =>
    chunks.flatMap((chunk) => ((chunk.choices as Json[])[0]?.delta as Json | undefined)?.tool_calls as Json[] | null ?? []).filter(Boolean);

  describe('listModels', () => {
    it('returns the seeded catalogue with pricing and features as Baseten sends them', async () => {
      const models = await client.modelApis.listModels();
      assert.deepEqual(models.map((m) => m.id).sort(), [...SEED.modelApis].sort());
      for (const model of models) {
        assert.equal(model.object, 'model');
        assert.equal(typeof model.pricing?.prompt, 'string', `${model.id}: prices are strings`);
        assert.ok(Number.isFinite(pricePerMillionTokens(model.pricing?.completion)), `${model.id}: a readable price`);
        assert.ok(Array.isArray(model.supported_features) && model.supported_features.includes('tools'), `${model.id}: features`);
        assert.ok((model.context_length ?? 0) > 0);
      }
      const gptOss = models.find((m) => m.id === GPT_OSS);
      assert.equal(pricePerMillionTokens(gptOss?.pricing?.completion), 0.5);
      assert.ok(gptOss?.supported_features?.includes('reasoning_effort'));
      assert.equal(emulator.stats.count({ path: /\/inference\/v1\/models$/ }), 1);
    });
  });

  it('GLM ends a stream a stop string cut right after the finish chunk, as recorded: no usage chunk, no [DONE]; the answer still completes', async () => {
    const request = { model: GLM, messages: user('say: one two STOP three'), stop: ['STOP'], stream: true };
    const raw = await rawStream(request);
    assert.equal(raw.done, false, 'no [DONE]');
    assert.ok(raw.chunks.every((chunk) => (chunk.choices as unknown[]).length > 0), 'no usage-only chunk');
    const stream = await client.modelApis.chatStream(request);
    const result = await stream.final();
    assert.equal(result.text.trim(), 'one two');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.complete, true, 'a finish reason ends an answer even without [DONE]');
  });

  it("each family answers with the Baseten headers its recordings carry: GLM only X-Baseten-Accepted-At", async () => {
    const RECORDED_SERVING = ['x-baseten-accepted-at', 'x-baseten-model-id', 'x-baseten-model-prediction-attempts', 'x-baseten-model-version-id', 'x-baseten-request-id', 'x-baseten-session-id'];
    for (const model of [DEEPSEEK, GPT_OSS, GLM, KIMI]) {
      const response = await client.http.send({ method: 'POST', url: `${emulator.endpoints.modelApisBaseUrl}/chat/completions`, area: 'model_apis', json: { model, messages: user('say: hi') } });
      await response.text();
      const names = Object.keys(response.headers).filter((name) => name.toLowerCase().startsWith('x-baseten-')).map((name) => name.toLowerCase()).sort();
      assert.deepEqual(names, model === GLM ? ['x-baseten-accepted-at'] : RECORDED_SERVING, model);
    }
  });

  it('DeepSeek sends a short answer after reasoning whole, after the finish chunk, with usage: null, as recorded; the client keeps it', async () => {
    const request = { model: DEEPSEEK, messages: user('say: Hello'), stream: true };
    const raw = await rawStream(request);
    const choiceOf = (chunk: Json): Json | undefined => (chunk.choices as Json[])[0];
    const finishAt = raw.chunks.findIndex((chunk) => choiceOf(chunk)?.finish_reason);
    const late = raw.chunks[finishAt + 1];
    assert.equal((choiceOf(late)?.delta as Json).content, 'Hello', 'the answer comes after the finish chunk');
    assert.equal(late.usage, null);
    assert.ok(raw.chunks.slice(0, finishAt).every((chunk) => !(choiceOf(chunk)?.delta as Json).content), 'no content before the finish');
    assert.ok(raw.done);

    const { result, events } = await streamed(request);
    assert.equal(result.text, 'Hello');
    assert.ok(result.reasoning.length > 0);
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.complete, true);
    assert.equal(result.usage?.completion_tokens, (raw.chunks.at(-1)?.usage as Json).completion_tokens, 'the usage of the usage-only chunk');
    assert.deepEqual(events.filter((e) => e.type === 'finish').length, 1);

    const longer = await rawStream({ ...request, messages: user('say: Hello there, how are you today?') });
    const longerFinish = longer.chunks.findIndex((chunk) => choiceOf(chunk)?.finish_reason);
    assert.ok(longer.chunks.slice(longerFinish + 1).every((chunk) => (chunk.choices as Json[]).length === 0), 'a longer answer streams before the finish');
  });

  for (const model of [DEEPSEEK, GPT_OSS, GLM, KIMI]) {
    describe(model, () => {
      it('chat: the exact reply, reasoning when the model reasons by default, usage and finish reason stop', async () => {
        const result = await client.modelApis.chat({ model, messages: user('say: Grüße aus dem Emulator 🎉') });
        assert.equal(result.text, 'Grüße aus dem Emulator 🎉');
        assert.equal(result.reasoning !== '', REASONS_BY_DEFAULT[model], `reasoning: ${JSON.stringify(result.reasoning)}`);
        assert.equal(result.finishReason, 'stop');
        assert.equal(result.model, model);
        assert.ok(result.usage && result.usage.completion_tokens > 0 && result.usage.total_tokens === result.usage.prompt_tokens + result.usage.completion_tokens);
        // GLM answers carry no X-Baseten-Request-Id (as recorded): Baseten does not promise one.
        assert.equal(!!result.requestId, model !== GLM, 'the X-Baseten-Request-Id header');
        assert.equal(result.complete, true);
      });

      it('chatStream: the same answer as chat, usage in every chunk, finish then a usage-only chunk then [DONE]', async () => {
        const request = { model, messages: user('Tell me about streaming, please.'), chat_template_args: { enable_thinking: true } };
        const whole = await client.modelApis.chat(request);
        const { result, events } = await streamed(request);
        assert.equal(result.text, whole.text);
        assert.equal(result.reasoning, whole.reasoning);
        assert.ok(result.reasoning.length > 0, 'enable_thinking turns reasoning on');
        assert.equal(result.finishReason, 'stop');
        assert.deepEqual(result.usage, whole.usage, 'the final usage equals the non-streamed one');
        assert.equal(events.filter((e) => e.type === 'finish').length, 1);

        const { chunks, done } = await rawStream(request);
        assert.ok(done, 'ends with data: [DONE]');
        assert.ok(chunks.every((c) => c.usage && typeof (c.usage as Json).completion_tokens === 'number'), 'usage in every chunk');
        assert.equal(((chunks[0].choices as Json[])[0].delta as Json).role, 'assistant', 'the first delta names the role');
        const last = chunks.at(-1) as Json;
        assert.deepEqual(last.choices, [], 'the last chunk has "choices": [] and the final usage');
        const finishAt = chunks.findIndex((c) => (c.choices as Json[])[0]?.finish_reason);
        assert.equal(finishAt, chunks.length - 2, 'the finish reason comes right before the usage-only chunk');
        // Running totals never go down.
        const totals = chunks.map((c) => (c.usage as Json).completion_tokens as number);
        assert.deepEqual([...totals].sort((a, b) => a - b), totals);
      });

      it('max_tokens cuts the answer with finish reason length, streamed or not', async () => {
        const request = { model, messages: user('[[tokens:50]] write'), max_tokens: 5, chat_template_args: { enable_thinking: false } };
        const whole = await client.modelApis.chat(request);
        assert.equal(whole.finishReason, 'length');
        assert.equal(whole.usage?.completion_tokens, 5);
        const { result } = await streamed(request);
        assert.equal(result.finishReason, 'length');
        assert.equal(result.text, whole.text);
        assert.equal(result.usage?.completion_tokens, 5);
      });

      it('tool calls: one merged call, finish reason tool_calls, arguments as JSON, whole and streamed', async () => {
        const request: ChatCompletionRequest = { model, messages: user('Use the square_root tool on 132413.'), tools: [SQUARE_ROOT], tool_choice: 'required' };
        const whole = await client.modelApis.chat(request);
        assert.equal(whole.finishReason, 'tool_calls');
        assert.equal(whole.toolCalls.length, 1);
        assert.equal(whole.toolCalls[0].function.name, 'square_root');
        const wholeArgs = JSON.parse(whole.toolCalls[0].function.arguments) as Json;
        assert.equal(typeof wholeArgs.number, 'number');

        const { result, events } = await streamed(request);
        assert.equal(result.finishReason, 'tool_calls');
        assert.equal(result.toolCalls.length, 1);
        const [call] = result.toolCalls;
        assert.equal(call.function.name, 'square_root');
        assert.ok(call.id, 'the call has an id');
        assert.deepEqual(JSON.parse(call.function.arguments), wholeArgs);
        const argumentsFromEvents = events.map((e) => (e.type === 'tool_call' ? e.argumentsDelta : '')).join('');
        assert.equal(argumentsFromEvents, call.function.arguments);

        // The result goes back with the call's id only, as OpenAI clients send it; the answer names the function.
        const answer = await client.modelApis.chat({
          model,
          messages: [...request.messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: '363.89' }],
          tools: [SQUARE_ROOT],
        });
        assert.equal(answer.text, 'The square_root tool returned: 363.89');
      });

      it('response_format json_object and json_schema give JSON content; an empty schema name is a 400', async () => {
        const object = await client.modelApis.chat({ model, messages: user('Reply in JSON.'), response_format: { type: 'json_object' } });
        assert.equal(typeof JSON.parse(object.text), 'object');
        const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'] };
        const { result } = await streamed({ model, messages: user('Largest city?'), response_format: { type: 'json_schema', json_schema: { name: 'city', schema } } });
        const parsed = JSON.parse(result.text) as Json;
        assert.equal(typeof parsed.city, 'string');
        assert.ok(Number.isInteger(parsed.population));
        const error = await caught<BasetenError>(() => client.modelApis.chat({ model, messages: user('x'), response_format: { type: 'json_schema', json_schema: { name: '', schema } } }));
        assert.equal(error.status, 400);
        assert.ok(error.message.includes('`response_format.json_schema.name` cannot be empty'), error.message);
      });
    });
  }

  describe('tool calls in each engine\'s recorded streaming style', () => {
    const request = (model: string): ChatCompletionRequest => ({ model, messages: user('Use the square_root tool on 132413.'), tools: [SQUARE_ROOT], tool_choice: 'required' });

    it('DeepSeek-V4-Pro sends the whole call in one delta', async () => {
      const deltas = toolDeltas((await rawStream(request(DEEPSEEK))).chunks);
      assert.equal(deltas.length, 1);
      assert.equal((deltas[0].function as Json).name, 'square_root');
    });

    it('gpt-oss-120b sends the name with empty arguments, then pieces with the same id and a null name', async () => {
      const deltas = toolDeltas((await rawStream(request(GPT_OSS))).chunks);
      assert.ok(deltas.length > 2);
      assert.deepEqual(deltas[0].function, { name: 'square_root', arguments: '' });
      for (const delta of deltas.slice(1)) {
        assert.equal(delta.id, deltas[0].id);
        assert.equal((delta.function as Json).name, null);
      }
    });

    it('GLM-5.2 streams argument pieces, repeating the id, and finishes on the last piece', async () => {
      const { chunks } = await rawStream(request(GLM));
      const deltas = toolDeltas(chunks);
      assert.ok(deltas.length > 1);
      assert.equal((deltas[0].function as Json).name, 'square_root');
      for (const delta of deltas.slice(1)) {
        assert.equal(delta.id, deltas[0].id, 'recorded GLM-5.2 streams repeat the id on every continuation');
        assert.equal('name' in (delta.function as Json), false);
      }
      const lastToolChunk = [...chunks].reverse().find((c) => ((c.choices as Json[])[0]?.delta as Json | undefined)?.tool_calls) as Json;
      assert.equal((lastToolChunk.choices as Json[])[0].finish_reason, 'tool_calls');
    });

    it('Kimi-K2.6 streams argument pieces with the same id repeated', async () => {
      const deltas = toolDeltas((await rawStream(request(KIMI))).chunks);
      assert.ok(deltas.length > 1);
      for (const delta of deltas) assert.equal(delta.id, deltas[0].id);
    });
  });

  describe('requests, errors and retries', () => {
    it('sends only the fields the caller set, plus stream: true when streaming (no stream: false, no stream_options added)', async () => {
      const request: ChatCompletionRequest = { model: GLM, messages: user('say: ok'), temperature: 0.2, max_tokens: 100 };
      await client.modelApis.chat(request);
      const stream = await client.modelApis.chatStream(request);
      await stream.final();
      const [whole, streamedRequest] = emulator.stats.requests;
      // The emulator keeps the size of what arrived: exactly the caller's JSON, with `stream: true` appended when streaming.
      assert.equal(whole.bodyBytes, Buffer.byteLength(JSON.stringify(request)));
      assert.equal(streamedRequest.bodyBytes, Buffer.byteLength(JSON.stringify({ ...request, stream: true })));
      assert.match(whole.headers.authorization, /^Bearer\b/);
      assert.ok(!whole.headers.authorization.includes(emulator.apiKey), 'the emulator keeps the scheme, not the key');
      assert.match(whole.headers['user-agent'], /^baseten-vscode-client\//);
      assert.equal(streamedRequest.headers.accept, 'text/event-stream');
    });

    it('an unknown model is a 404 that says it may not be enabled in this workspace', async () => {
      for (const call of [
        () => client.modelApis.chat({ model: 'acme/not-a-model', messages: user('hi') }),
        () => client.modelApis.chatStream({ model: 'acme/not-a-model', messages: user('hi') }),
      ]) {
        const error = await caught<BasetenError>(call);
        assert.equal(error.kind, 'http');
        assert.equal(error.status, 404);
        assert.equal(error.retryable, false);
        assert.match(error.message, /not enabled in this workspace/);
      }
      assert.equal(emulator.stats.count({ path: /chat\/completions$/ }), 2, 'one attempt each');
    });

    it('a bad key is the recorded 403 with Baseten\'s message', async () => {
      const bad = emulatorClient(emulator, { apiKey: 'nope1234.notAKey' });
      try {
        const error = await caught<BasetenError>(() => bad.modelApis.chatStream({ model: DEEPSEEK, messages: user('hi') }));
        assert.equal(error.status, 403);
        assert.match(error.message, /rejected the API key/);
        assert.ok(error.message.includes('please check the api-key you provided'));
        assert.ok(!error.message.includes('nope1234.notAKey'));
        const listError = await caught<BasetenError>(() => bad.modelApis.listModels());
        assert.equal(listError.status, 403);
      } finally {
        await bad.destroy();
      }
    });

    it('a 429 with Retry-After is waited out, then the retry succeeds', async () => {
      emulator.faults.add({ match: { path: /chat\/completions$/ }, times: 1, fault: { kind: 'status', status: 429, retryAfter: '1', body: { error: 'Rate limit exceeded' } } });
      const result = await client.modelApis.chat({ model: GPT_OSS, messages: user('say: after the wait') });
      assert.equal(result.text, 'after the wait');
      const attempts = emulator.stats.requests.filter((r) => r.path.endsWith('/chat/completions'));
      assert.deepEqual(attempts.map((r) => r.status), [429, 200]);
      assert.ok(attempts[1].at - attempts[0].at >= 990, `retried after ${attempts[1].at - attempts[0].at} ms`);
    });

    it('a 503 on the first two attempts of a stream is retried before the stream starts', async () => {
      emulator.faults.add({ match: { model: DEEPSEEK }, times: 2, fault: { kind: 'status', status: 503 } });
      const { result } = await streamed({ model: DEEPSEEK, messages: user('say: third time lucky') });
      assert.equal(result.text, 'third time lucky');
      assert.equal(emulator.stats.count({ path: /chat\/completions$/ }), 3);
    });
  });

  describe('streams in flight', () => {
    it('an abort mid-stream closes the socket (the emulator sees the client go away) and keeps the partial text', async () => {
      const controller = new AbortController();
      const stream = await client.modelApis.chatStream({ model: GLM, messages: user('[[tokens:200000]] go') }, { signal: controller.signal });
      let contentEvents = 0;
      const error = await caught<BasetenError>(async () => {
        for await (const event of stream) {
          if (event.type === 'content' && ++contentEvents === 50) controller.abort();
        }
      });
      assert.equal(error.kind, 'aborted');
      const partial = error.partial as ChatResult;
      assert.ok(partial.text.length > 0 && partial.text.split(/\s+/).length >= 50, 'the text received before the abort is kept');
      assert.equal(partial.complete, false);
      await eventually(() => emulator.stats.requests.some((r) => r.clientAborted), 3_000, 'the emulator to see clientAborted');
      await client.destroy();
      await eventually(() => emulator.stats.openConnections === 0, 3_000, 'no connection left open');
    });

    it('a 20,000-token stream assembles correctly', async function () {
      this.timeout(30_000);
      const request = { model: KIMI, messages: user('write a lot') };
      // The same answer, whole, is the reference; the header asks the emulator for 20,000 content tokens.
      const whole = await client.http.send({
        method: 'POST',
        url: `${emulator.endpoints.modelApisBaseUrl}/chat/completions`,
        area: 'model_apis',
        json: { ...request, stream: false },
        headers: { 'x-emulator-tokens': '20000' },
      });
      const expectedText = (await whole.json<{ choices: Array<{ message: { content: string } }> }>()).choices[0].message.content;

      const { result, events } = await streamed({ model: KIMI, messages: user('[[tokens:20000]] write a lot') });
      assert.equal(result.usage?.completion_tokens, 20_000);
      assert.equal(result.finishReason, 'stop');
      assert.equal(events.filter((e) => e.type === 'content').length, 20_000);
      assert.equal(result.text, expectedText, 'the streamed text equals the whole answer');
      assert.ok(result.text.length > 100_000);
      assert.equal(result.complete, true);
    });

    it('fills the time-to-first-token timings', async () => {
      const stream = await client.modelApis.chatStream({ model: DEEPSEEK, messages: user('say: timing') });
      await stream.final();
      const { sentAt, headersAt, firstTokenAt, endedAt } = stream.timings;
      assert.ok(typeof headersAt === 'number' && typeof firstTokenAt === 'number' && typeof endedAt === 'number', JSON.stringify(stream.timings));
      assert.ok(sentAt <= headersAt && headersAt <= firstTokenAt && firstTokenAt <= endedAt, JSON.stringify(stream.timings));
    });

    it('a stream dropped by the server after a few events fails as truncated, once, with the partial text', async () => {
      emulator.faults.add({ match: { model: GPT_OSS }, times: 1, fault: { kind: 'drop', afterEvents: 6 } });
      const stream = await client.modelApis.chatStream({ model: GPT_OSS, messages: user('[[tokens:100]] go'), chat_template_args: { enable_thinking: false }, reasoning_effort: 'none' });
      const error = await caught<BasetenError>(() => stream.final());
      assert.equal(error.kind, 'stream_truncated');
      assert.ok((error.partial as ChatResult).text.length > 0);
      assert.equal(emulator.stats.count({ path: /chat\/completions$/ }), 1, 'a started stream is never sent again');
    });

    it('a malformed SSE event fails with kind protocol', async () => {
      emulator.faults.add({ match: { model: GLM }, times: 1, fault: { kind: 'malformed-sse' } });
      const stream = await client.modelApis.chatStream({ model: GLM, messages: user('[[tokens:20]] go') });
      const error = await caught<BasetenError>(() => stream.final());
      assert.equal(error.kind, 'protocol');
    });
  });
});
