/**
 * Every recorded Baseten interaction, served back byte for byte from 127.0.0.1 and read through the
 * client: what the client assembles must equal what the recording says (computed by a separate, simpler
 * parse), recorded errors must become the right `BasetenError`, and what the client sends for the same
 * request must be exactly the recorded request body.
 */
import * as assert from 'node:assert/strict';
import { BasetenClient, BasetenError, ChatCompletionRequest, ChatResult, ChatStreamEvent } from '../../src/client';
import {
  ExpectedChat,
  RecordedInteraction,
  Recording,
  expectedErrorMessage,
  expectedFromCompletion,
  expectedFromStream,
  loadRecordings,
  recordedHeader,
} from './helpers/recordings';
import { ReplayServer, bodyJson, randomChunkSizes, startReplayServer } from './helpers/replayServer';

const API_KEY = 'rec0rdng.replayKeyThatIsNeverReal1234';
const recordings: Recording[] = loadRecordings();

function byFolder(list: Recording[]): Map<string, Recording[]> {
  const folders = new Map<string, Recording[]>();
  for (const recording of list) {
    const group = folders.get(recording.folder) ?? [];
    group.push(recording);
    folders.set(recording.folder, group);
  }
  return folders;
}

/** A stable seed per file, so each recording is cut the same way on every run. */
function seedOf(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return hash >>> 0;
}

function assertMatches(result: ChatResult, expected: ExpectedChat, what: string): void {
  assert.equal(result.text, expected.text, `${what}: text`);
  assert.equal(result.reasoning, expected.reasoning, `${what}: reasoning`);
  assert.deepEqual(
    result.toolCalls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })),
    expected.toolCalls,
    `${what}: tool calls`,
  );
  for (const call of result.toolCalls) {
    assert.equal(call.type, 'function');
    // Every recorded call's arguments are a complete JSON document once merged.
    assert.doesNotThrow(() => JSON.parse(call.function.arguments), `${what}: arguments of ${call.function.name} are JSON`);
  }
  assert.deepEqual(result.usage, expected.usage, `${what}: usage (the last one sent)`);
  assert.equal(result.finishReason, expected.finishReason, `${what}: finish reason`);
  assert.equal(result.id, expected.id, `${what}: id`);
  assert.equal(result.model, expected.model, `${what}: model`);
  assert.equal(result.complete, true, `${what}: complete`);
}

async function replayInteraction(server: ReplayServer, client: BasetenClient, recording: Recording, interaction: RecordedInteraction): Promise<void> {
  const what = `${recording.name}#${interaction.id}`;
  const { request, response } = interaction;
  const path = new URL(request.url).pathname;
  const isError = response.code >= 400;
  server.reset();
  // Streams arrive in random pieces (seeded per file), so chunk boundaries fall anywhere in the SSE.
  server.load([interaction], { chunkSizes: randomChunkSizes(seedOf(recording.name), 4096) });

  if (request.method === 'GET' && path === '/v1/models') {
    const models = await client.modelApis.listModels();
    const expected = (JSON.parse(response.body) as { data: unknown[] }).data;
    assert.deepEqual(models, expected, `${what}: every model entry, pricing and features included, is kept as sent`);
    assert.equal(server.received.length, 1);
  } else if (request.method === 'POST' && path === '/v1/chat/completions') {
    const sent = JSON.parse(request.body) as ChatCompletionRequest;
    const stream = sent.stream === true;
    const callerRequest: ChatCompletionRequest = { ...sent };
    delete callerRequest.stream;

    if (isError) {
      const error = await (stream ? client.modelApis.chatStream(callerRequest) : client.modelApis.chat(callerRequest)).then(
        () => assert.fail(`${what}: expected the recorded ${response.code} to fail the call`),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof BasetenError, `${what}: a BasetenError, got ${String(error)}`);
      assert.equal(error.kind, 'http');
      assert.equal(error.status, response.code);
      assert.equal(error.retryable, false);
      assert.ok(
        error.message.includes(expectedErrorMessage(response.body)),
        `${what}: message ${JSON.stringify(error.message)} carries the recorded message`,
      );
      assert.equal(error.requestId, recordedHeader(response.headers, 'X-Baseten-Request-Id'));
      assert.equal(server.received.length, 1, `${what}: exactly one attempt for a ${response.code}`);
    } else if (stream) {
      const chat = await client.modelApis.chatStream(callerRequest);
      const events: ChatStreamEvent[] = [];
      for await (const event of chat) events.push(event);
      const expected = expectedFromStream(response.body);
      assertMatches(chat.result, expected, what);
      // The typed events add up to the same answer.
      const joined = (type: 'content' | 'reasoning'): string =>
        events.map((e) => (e.type === type ? e.text : '')).join('');
      assert.equal(joined('content'), expected.text, `${what}: content events`);
      assert.equal(joined('reasoning'), expected.reasoning, `${what}: reasoning events`);
      const finishes = events.filter((e) => e.type === 'finish');
      assert.equal(finishes.length, expected.finishReason ? 1 : 0, `${what}: one finish event`);
      const usages = events.filter((e): e is Extract<ChatStreamEvent, { type: 'usage' }> => e.type === 'usage');
      assert.deepEqual(usages.at(-1)?.usage, expected.usage, `${what}: last usage event`);
      assert.equal(chat.requestId, recordedHeader(response.headers, 'X-Baseten-Request-Id'));
    } else {
      const result = await client.modelApis.chat(callerRequest);
      assertMatches(result, expectedFromCompletion(response.body), what);
      assert.equal(result.requestId, recordedHeader(response.headers, 'X-Baseten-Request-Id'));
    }

    assert.equal(server.received.length, 1, `${what}: one request reached the server`);
    const received = server.received[0];
    // Only what the caller set, plus `stream: true` when streaming (non-streaming is the server's default): no surprise fields.
    assert.deepEqual(bodyJson(received), stream ? { ...callerRequest, stream: true } : callerRequest, `${what}: the request body as sent`);
    assert.equal(received.headers['content-type'], 'application/json');
    assert.equal(received.headers.accept, stream ? 'text/event-stream' : 'application/json');
  } else {
    assert.fail(`${what}: no client call for ${request.method} ${path}`);
  }

  const received = server.received[0];
  assert.equal(received.headers.authorization, `Bearer ${API_KEY}`, `${what}: the key as a Bearer token`);
  assert.match(String(received.headers['user-agent']), /^baseten-vscode-client\/\S+ \(Node /, `${what}: User-Agent`);
  assert.equal(server.unmatched.length, 0);
}

describe('recordings of real Baseten traffic, replayed through the client', function () {
  this.timeout(20_000);
  let server: ReplayServer;
  let client: BasetenClient;

  before(async () => {
    server = await startReplayServer();
    client = new BasetenClient({
      apiKey: API_KEY,
      endpoints: { modelApisBaseUrl: `${server.origin}/v1` },
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    });
  });
  after(async () => {
    await client?.destroy();
    await server?.close();
  });

  it('finds the recordings corpus', () => {
    assert.ok(recordings.length >= 90, `expected the whole corpus, found ${recordings.length} cassettes`);
    assert.ok(recordings.every((r) => r.interactions.length > 0), 'every cassette has interactions');
  });

  for (const [folder, group] of byFolder(recordings)) {
    describe(folder === '.' ? '(top level)' : folder, () => {
      for (const recording of group) {
        const file = recording.name.slice(recording.name.lastIndexOf('/') + 1);
        const summary = recording.interactions
          .map((i) => `${i.response.code}${i.request.body.includes('"stream":true') ? ' stream' : ''}`)
          .join(', ');
        it(`${file} (${summary})`, async () => {
          for (const interaction of recording.interactions) {
            await replayInteraction(server, client, recording, interaction);
          }
        });
      }
    });
  }
});
