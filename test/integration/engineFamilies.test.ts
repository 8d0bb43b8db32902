/**
 * Every engine family's stream shape (emulator/modelApis/chatWire.ts, copied from the recordings) through every
 * path that reads a chat stream: the chat panel, the inline prompt, VS Code's language-model API and an agent's
 * tool round trip. Each family streams differently: DeepSeek may send a short answer after its finish chunk,
 * gpt-oss opens with a role-only chunk and streams tool arguments with null names, GLM sends no request id and
 * ends a stream cut by a stop string with no usage chunk and no [DONE], Kimi names its tool calls `functions.…:0`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatModel } from '../../src/features/chat/logic/protocol';
import type { InlineEditSession } from '../../src/features/inline/inlineEditSession';
import { emulatorControl, extensionApi } from './harness';
import { basetenLanguageModel, readAll } from './languageModelResponses';

interface Family {
  model: string;
  label: string;
  /** What is peculiar about its stream. */
  shape: string;
  sendsRequestId: boolean;
}

const FAMILIES: Family[] = [
  { model: 'deepseek-ai/DeepSeek-V4-Pro', label: 'DeepSeek V4 Pro', shape: 'a short answer after the finish chunk', sendsRequestId: true },
  { model: 'openai/gpt-oss-120b', label: 'gpt-oss 120B', shape: 'a role-only first chunk; tool arguments in pieces with null names', sendsRequestId: true },
  { model: 'zai-org/GLM-5.2', label: 'GLM 5.2', shape: 'no request id; a stop string ends the stream without usage or [DONE]', sendsRequestId: false },
  { model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', shape: 'minimal deltas; tool calls named functions.<name>:0', sendsRequestId: true },
];

const SELECTED = 'let total = 0;';
/** Four tokens: short enough for DeepSeek to hold it past its finish chunk. */
const SHORT_REWRITE = '```ts\nconst total = 0;\n```';

describe('Every engine family through every chat path', function () {
  this.timeout(60_000);

  before(() => emulatorControl('POST', 'reset'));

  for (const family of FAMILIES) {
    describe(`${family.label} (${family.shape})`, () => {
      const target: ChatModel = { kind: 'model_api', model: family.model, label: family.label, features: ['tools', 'reasoning'] };

      it('the chat panel shows the whole answer, short or long, and keeps the request id only when Baseten sent one', async () => {
        const api = await extensionApi();
        const panel = api.chat.open();
        panel.newConversation();
        panel.setTarget(target);
        const short = await panel.ask('say: Hello');
        assert.ok(short);
        assert.equal(short.state, 'done', short.error);
        assert.equal(short.text, 'Hello');
        assert.equal(!!short.stats.requestId, family.sendsRequestId, `request id: ${short.stats.requestId}`);
        const long = await panel.ask('Tell me about rivers. [[tokens:40]]');
        assert.ok(long);
        assert.equal(long.state, 'done', long.error);
        assert.ok((long.stats.completionTokens ?? 0) >= 40 && long.text.length > 100, JSON.stringify(long.stats));
      });

      it('the inline prompt lands the answer as a diff that is accepted whole', async () => {
        const api = await extensionApi();
        api.chat.open().setTarget(target);
        const document = await vscode.workspace.openTextDocument({ content: `${SELECTED}\nconsole.log(total);\n`, language: 'typescript' });
        const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        editor.selection = new vscode.Selection(0, 0, 0, SELECTED.length);
        const session = await vscode.commands.executeCommand<InlineEditSession | undefined>('baseten.promptOnSelection', `say: ${SHORT_REWRITE}`);
        assert.ok(session, 'a session started');
        assert.equal(await session.done, 'ready', session.error);
        assert.ok(await session.accept());
        assert.equal(document.getText(), 'const total = 0;\nconsole.log(total);\n');
      });

      it("VS Code's language-model API streams the answer, and a stop string ends it cleanly", async () => {
        const model = await basetenLanguageModel(family.model);
        const hello = await readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User('say: Hello')], {}));
        assert.equal(hello.text, 'Hello');
        const cut = await readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User('say: one two STOP three')], { modelOptions: { stop: ['STOP'] } }));
        assert.equal(cut.text.trim(), 'one two');
      });

      it("an agent's round trip: a tool call, the tool's result sent back, and the model's answer to it", async () => {
        const model = await basetenLanguageModel(family.model);
        const tool = vscode.lm.tools.find((candidate) => candidate.name === 'baseten_list_deployments');
        assert.ok(tool, 'the list tool is registered');
        const tools: vscode.LanguageModelChatTool[] = [{ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }];
        const question = vscode.LanguageModelChatMessage.User("Use baseten_list_deployments for the model 'echo'.");
        const first = await readAll(await model.sendRequest([question], { tools }));
        assert.equal(first.toolCalls.length, 1, `one tool call, got text ${JSON.stringify(first.text)}`);
        const [call] = first.toolCalls;
        assert.equal(call.name, 'baseten_list_deployments');
        assert.deepEqual(call.input, { model: 'echo' }, 'the arguments, whole, whatever pieces they streamed in');

        const result = await vscode.lm.invokeTool(call.name, { input: call.input, toolInvocationToken: undefined });
        const second = await readAll(
          await model.sendRequest(
            [question, vscode.LanguageModelChatMessage.Assistant([call]), vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, result.content)])],
            { tools },
          ),
        );
        assert.equal(second.toolCalls.length, 0, 'the model answers the result instead of calling again');
        assert.match(second.text, /^The baseten_list_deployments tool returned: Models \(1\):\n- echo \(model.*production: Active/s);
      });
    });
  }
});
