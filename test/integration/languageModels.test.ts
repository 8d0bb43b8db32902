import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emulatorControl, emulatorKeys, emulatorStats, emulatorUrl, extensionApi, waitFor } from './harness';
import { basetenLanguageModel, readAll } from './languageModelResponses';

const KIMI = 'moonshotai/Kimi-K2.6';

/** VS Code 1.139 has `LanguageModelDataPart`; the typings this builds with (1.104) do not. */
const LanguageModelDataPart = (vscode as unknown as { LanguageModelDataPart: new (data: Uint8Array, mimeType: string) => vscode.LanguageModelTextPart }).LanguageModelDataPart;

/** A real 1×1 PNG: VS Code decodes (and may resize) images before a provider gets them. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function catalogue(): Promise<string[]> {
  const response = await fetch(`${emulatorUrl()}/inference/v1/models`, { headers: { authorization: `Bearer ${emulatorKeys().apiKey}` } });
  const body = (await response.json()) as { data: Array<{ id: string }> };
  return body.data.map((model) => model.id).sort();
}

describe('Baseten models in VS Code chat (vscode.lm)', function () {
  this.timeout(60_000);

  before(async () => {
    await emulatorControl('POST', 'reset');
    await extensionApi();
  });

  it("selectChatModels({vendor: 'baseten'}) returns the emulator's Model APIs", async () => {
    const models = (await vscode.lm.selectChatModels({ vendor: 'baseten' })).filter((model) => !model.id.startsWith('deployed:'));
    assert.deepEqual(models.map((model) => model.id).sort(), await catalogue());
    assert.ok(models.every((model) => model.vendor === 'baseten'));
    // The emulator's catalogue (emulator/modelApis/catalog.ts) as Baseten lists it: most models give
    // max_completion_tokens equal to the context length, so a quarter of the context is kept for the answer.
    // (maxOutputTokens is not on LanguageModelChat; test/unit/languageModelParts checks it.)
    const limits = Object.fromEntries(models.map((model) => [model.id, model.maxInputTokens]));
    assert.deepEqual(limits, {
      'openai/gpt-oss-120b': 96054,
      'moonshotai/Kimi-K2.6': 196500,
      'deepseek-ai/DeepSeek-V4-Pro': 196608,
      'zai-org/GLM-5.2': 786432,
    });
  });

  it('offers the deployments that serve chat beside them, named as the tree names them, and streams from one', async () => {
    const deployed = (await vscode.lm.selectChatModels({ vendor: 'baseten' })).filter((model) => model.id.startsWith('deployed:'));
    assert.deepEqual(
      deployed.map((model) => model.name),
      ['llm · production', 'llm · development'].filter((name) => deployed.some((model) => model.name === name)),
      'only the llm model serves chat; echo and the others are not offered',
    );
    const production = deployed.find((model) => model.name === 'llm · production');
    assert.ok(production, 'llm · production is offered');
    const before = (await emulatorStats()).requests.length;
    const { text } = await readAll(await production.sendRequest([vscode.LanguageModelChatMessage.User('Say hello. [[tokens:12]]')], {}));
    assert.ok(text.length > 0, 'an answer streamed');
    const sent = (await emulatorStats()).requests.slice(before).filter((request) => request.path.endsWith('/sync/v1/chat/completions'));
    assert.equal(sent.length, 1);
    assert.match(sent[0].path, /^\/model-\w+\/(environments\/)?production\/sync\/v1\/chat\/completions$/);
  });

  it('an image part reaches a model with image input as an image_url part', async () => {
    const model = await basetenLanguageModel(KIMI);
    const image = new LanguageModelDataPart(PNG, 'image/png');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User([new vscode.LanguageModelTextPart('[[echo]] What is in it?'), image])], {}, new vscode.CancellationTokenSource().token);
    const { text } = await readAll(response);
    assert.match(text, /You said: What is in it\? \(with 1 image\)/);
  });

  it('an image for a model without image input is refused with a clear error, not dropped', async () => {
    const model = await basetenLanguageModel('openai/gpt-oss-120b');
    const before = (await emulatorStats()).requests.length;
    const image = new LanguageModelDataPart(PNG, 'image/png');
    await assert.rejects(
      async () => readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User([new vscode.LanguageModelTextPart('Look'), image])], {}, new vscode.CancellationTokenSource().token)),
      /does not take image input/,
    );
    const sent = (await emulatorStats()).requests.slice(before).filter((request) => /chat\/completions$/.test(request.path));
    assert.equal(sent.length, 0, 'nothing was sent without the image');
  });

  it('sendRequest streams the answer', async () => {
    const model = await basetenLanguageModel(KIMI);
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('say: streamed through vscode.lm')], {}, new vscode.CancellationTokenSource().token);
    const { text } = await readAll(response);
    assert.equal(text, 'streamed through vscode.lm');
  });

  it('tool calls come back as LanguageModelToolCallPart with parsed input', async () => {
    const model = await basetenLanguageModel('openai/gpt-oss-120b');
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    ];
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is the weather in "Paris"?')], { tools, toolMode: vscode.LanguageModelChatToolMode.Required }, new vscode.CancellationTokenSource().token);
    const { toolCalls } = await readAll(response);
    assert.equal(toolCalls.length, 1);
    assert.equal(toolCalls[0].name, 'get_weather');
    assert.equal(typeof (toolCalls[0].input as { city?: unknown }).city, 'string');
  });

  it('cancelling the token closes the request', async () => {
    const model = await basetenLanguageModel(KIMI);
    const before = (await emulatorStats()).requests.length;
    const source = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Go on [[tokens:20000]]')], {}, source.token);
    let received = '';
    const reading = (async () => {
      for await (const chunk of response.text) {
        received += chunk;
        if (received.length > 20) source.cancel();
      }
    })();
    await reading.catch(() => undefined);
    assert.ok(received.length > 0);
    await waitFor(async () => (await emulatorStats()).requests.slice(before).some((request) => /chat\/completions$/.test(request.path) && request.clientAborted), 10_000, 'the emulator to see the client leave');
  });

  it('counts tokens', async () => {
    const model = await basetenLanguageModel(KIMI);
    const count = await model.countTokens('Hello there, how are you today?');
    assert.ok(count > 0 && count < 20, String(count));
  });
});
