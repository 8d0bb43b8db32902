/**
 * The chat core (src/chat) in plain Node: the request a conversation becomes, batching of a stream for
 * the panel, and one answer asked of the emulator over real HTTP, whole, stopped and broken.
 */
import * as assert from 'node:assert/strict';
import { AnswerBatcher } from '../../src/features/chat/logic/answerBatcher';
import { askModel } from '../../src/features/chat/logic/askModel';
import { chatMessages, chatRequest, fenceFor, userContent } from '../../src/features/chat/logic/conversation';
import type { AnswerDelta, AssistantTurn, ChatContext, ConversationState } from '../../src/features/chat/logic/protocol';
import { emptyConversation } from '../../src/features/chat/logic/protocol';
import { BasetenClient } from '../../src/client';
import { Emulator, emulatorClient, useEmulatorClient } from './helpers/client';

const KIMI = 'moonshotai/Kimi-K2.6';
const GPT_OSS = 'openai/gpt-oss-120b';

const context: ChatContext = { id: 'c1', file: 'src/add.ts', language: 'typescript', startLine: 3, endLine: 5, text: 'const a = "```";\nreturn a;' };

function answerTurn(): AssistantTurn {
  return { role: 'assistant', id: 'a1', model: 'Kimi', text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
}

describe('chat conversation → request', () => {
  it('fences attached code with a fence longer than any backtick run inside it', () => {
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
    const content = userContent('Explain', [context]);
    assert.equal(content, 'src/add.ts (lines 3-5):\n````typescript\nconst a = "```";\nreturn a;\n````\n\nExplain');
  });

  it('sends the system prompt, earlier turns and the new question with its context, in order', () => {
    const state: ConversationState = {
      ...emptyConversation({ system: 'Be brief.' }),
      turns: [
        { role: 'user', id: 'u1', text: 'First?', context: [] },
        { role: 'assistant', id: 'a1', model: 'm', text: 'One.', reasoning: 'thinking', toolCalls: [], state: 'done', stats: {} },
        { role: 'user', id: 'u2', text: 'Broken?', context: [] },
        { role: 'assistant', id: 'a2', model: 'm', text: '', reasoning: '', toolCalls: [], state: 'failed', error: '500', stats: {} },
      ],
    };
    const messages = chatMessages(state, 'Next', [context]);
    assert.deepEqual(
      messages.map((m) => [m.role, typeof m.content === 'string' ? m.content.slice(0, 12) : m.content]),
      [
        ['system', 'Be brief.'],
        ['user', 'First?'],
        ['assistant', 'One.'],
        ['user', 'Broken?'],
        ['user', 'src/add.ts ('],
      ],
    );
  });

  it('sends only the options the user set, and reasoning effort only to models that take it', () => {
    const base = emptyConversation();
    assert.deepEqual(Object.keys(chatRequest(base, 'q', [], KIMI)).sort(), ['messages', 'model']);
    const set: ConversationState = { ...base, settings: { system: '', temperature: 0.2, maxTokens: 100, reasoningEffort: 'high' } };
    const withoutEffort = chatRequest({ ...set, target: { kind: 'model_api', model: KIMI, label: 'Kimi', features: ['reasoning'] } }, 'q', [], KIMI);
    assert.equal(withoutEffort.temperature, 0.2);
    assert.equal(withoutEffort.max_tokens, 100);
    assert.equal(withoutEffort.reasoning_effort, undefined);
    const withEffort = chatRequest({ ...set, target: { kind: 'model_api', model: GPT_OSS, label: 'gpt-oss', features: ['reasoning_effort'] } }, 'q', [], GPT_OSS);
    assert.equal(withEffort.reasoning_effort, 'high');
    assert.equal(withEffort.stream_options, undefined, 'no surprise stream_options');
  });
});

describe('AnswerBatcher', () => {
  it('coalesces many tokens into few messages and loses none', async () => {
    const sent: AnswerDelta[] = [];
    const batcher = new AnswerBatcher((delta) => sent.push(delta), 20);
    const words: string[] = [];
    for (let i = 0; i < 2000; i++) {
      words.push(`w${i} `);
      batcher.push({ type: 'content', text: `w${i} ` });
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    batcher.flush();
    batcher.dispose();
    assert.ok(sent.length >= 2 && sent.length <= 10, `${sent.length} messages`);
    assert.equal(sent.map((d) => d.text ?? '').join(''), words.join(''));
  });

  it('sends tool calls whole, by index, as they stand at the flush', () => {
    const sent: AnswerDelta[] = [];
    const batcher = new AnswerBatcher((delta) => sent.push(delta), 1000);
    batcher.push({ type: 'tool_call', index: 1, toolCall: { id: 'b', type: 'function', function: { name: 'two', arguments: '{}' } }, argumentsDelta: '{}' });
    batcher.push({ type: 'tool_call', index: 0, toolCall: { id: 'a', type: 'function', function: { name: 'one', arguments: '{"x"' } }, argumentsDelta: '{"x"' });
    batcher.flush();
    batcher.dispose();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].toolCalls?.map((call) => call.function.name), ['one', 'two']);
  });
});

describe('askModel against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;

  useEmulatorClient({ emulator: { tokenDelayMs: 1 } }, (current) => ({ emulator, client } = current));

  it('assembles the answer from batches and keeps the figures: first token, tokens/s, usage, request id', async () => {
    const answer = answerTurn();
    const deltas: AnswerDelta[] = [];
    const outcome = await askModel(client.modelApis, { model: KIMI, messages: [{ role: 'user', content: '[[tokens:500]] go' }] }, answer, {
      signal: new AbortController().signal,
      onDelta: (delta) => deltas.push(delta),
    });
    assert.equal(outcome.error, undefined);
    assert.equal(answer.state, 'done');
    assert.equal(deltas.map((d) => d.text ?? '').join(''), answer.text);
    assert.ok(deltas.length < 100, `${deltas.length} batches for 500 tokens`);
    assert.equal(answer.stats.completionTokens, 500);
    assert.ok(answer.stats.promptTokens! > 0);
    assert.ok(answer.stats.timeToFirstTokenMs! >= 0 && answer.stats.tokensPerSecond! > 0, JSON.stringify(answer.stats));
    // Baseten promises no format: the recorded ids are 37 hex digits.
    assert.match(answer.stats.requestId ?? '', /^[0-9a-f]+$/);
    assert.equal(answer.stats.finishReason, 'stop');
  });

  it('streams reasoning apart from the answer, and counts reasoning tokens where the engine reports them (DeepSeek)', async () => {
    const answer = answerTurn();
    await askModel(client.modelApis, { model: 'deepseek-ai/DeepSeek-V4-Pro', messages: [{ role: 'user', content: 'Think first.' }] }, answer, { signal: new AbortController().signal, onDelta: () => undefined });
    assert.equal(answer.state, 'done');
    assert.ok(answer.reasoning.length > 0 && answer.text.length > 0);
    assert.ok(answer.stats.reasoningTokens! > 0);
  });

  it('stop aborts: the answer is "stopped", keeps its text, and the emulator sees the client leave', async () => {
    const answer = answerTurn();
    const controller = new AbortController();
    const outcome = await askModel(client.modelApis, { model: KIMI, messages: [{ role: 'user', content: '[[tokens:100000]] go' }] }, answer, {
      signal: controller.signal,
      onDelta: () => {
        if (answer.text.length > 100) controller.abort();
      },
    });
    assert.equal(answer.state, 'stopped');
    assert.equal(outcome.error?.kind, 'aborted');
    assert.ok(answer.text.length > 100);
    assert.equal(answer.error, undefined, 'stopping is not an error');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(emulator.stats.requests.some((request) => request.clientAborted));
  });

  it('a dropped stream fails with a clear error and keeps every token received', async () => {
    emulator.faults.add({ match: { path: /chat\/completions$/ }, times: 1, fault: { kind: 'drop', afterEvents: 20 } });
    const answer = answerTurn();
    const outcome = await askModel(client.modelApis, { model: KIMI, messages: [{ role: 'user', content: '[[tokens:200]] go' }] }, answer, {
      signal: new AbortController().signal,
      onDelta: () => undefined,
    });
    assert.equal(answer.state, 'failed');
    assert.ok(outcome.error && ['network', 'stream_truncated'].includes(outcome.error.kind), outcome.error?.kind);
    assert.ok(answer.text.length > 0);
    const partial = outcome.error?.partial as { text: string } | undefined;
    assert.equal(answer.text, partial?.text, 'the answer holds everything the stream delivered');
    assert.ok(answer.error);
  });

  it('an error before the stream (a bad key) fails the answer with the human message', async () => {
    await client.destroy();
    client = emulatorClient(emulator, { apiKey: 'wrong.key' });
    const answer = answerTurn();
    const outcome = await askModel(client.modelApis, { model: KIMI, messages: [{ role: 'user', content: 'hi' }] }, answer, { signal: new AbortController().signal, onDelta: () => undefined });
    assert.equal(answer.state, 'failed');
    assert.equal(outcome.error?.status, 403);
    assert.doesNotMatch(answer.error ?? '', /wrong\.key/, 'the key never appears in the message');
  });
});
