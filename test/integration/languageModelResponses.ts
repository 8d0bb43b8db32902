import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** A Baseten model as VS Code's language-model API offers it. */
export async function basetenLanguageModel(id: string): Promise<vscode.LanguageModelChat> {
  const [model] = await vscode.lm.selectChatModels({ vendor: 'baseten', id });
  assert.ok(model, `${id} is offered to VS Code chat`);
  return model;
}

/** A language-model response read to its end: its text and its tool calls. */
export async function readAll(response: vscode.LanguageModelChatResponse): Promise<{ text: string; toolCalls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const toolCalls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) toolCalls.push(part);
  }
  return { text, toolCalls };
}
