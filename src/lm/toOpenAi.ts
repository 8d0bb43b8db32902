import * as vscode from 'vscode';
import type { ChatCompletionRequest, ChatMessage, ToolCall, ToolDefinition } from '../client/types';

function textOf(parts: ReadonlyArray<unknown>): string {
  return parts
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : typeof part === 'string' ? part : ''))
    .join('');
}

/**
 * VS Code's chat messages as OpenAI-style messages: text parts joined, an assistant's tool calls as
 * `tool_calls`, and each tool result as a `tool` message after the user turn that carried it.
 */
export function toOpenAiMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const toolCalls: ToolCall[] = [];
    const toolResults: ChatMessage[] = [];
    const text: string[] = [];
    for (const part of message.content) {
      if (part instanceof vscode.LanguageModelTextPart) text.push(part.value);
      else if (part instanceof vscode.LanguageModelToolCallPart) {
        toolCalls.push({ id: part.callId, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) } });
      } else if (part instanceof vscode.LanguageModelToolResultPart) {
        toolResults.push({ role: 'tool', tool_call_id: part.callId, content: textOf(part.content) });
      }
    }
    if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
      out.push({ role: 'assistant', content: text.join('') || (toolCalls.length ? null : ''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    // Tool results answer the assistant's calls, so they come before any new user text.
    out.push(...toolResults);
    if (text.length || !toolResults.length) out.push({ role: message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'system', content: text.join(''), ...(message.name ? { name: message.name } : {}) });
  }
  return out;
}

export function toOpenAiTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolDefinition[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } },
  }));
}

const PASSED_OPTIONS = ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'reasoning_effort', 'frequency_penalty', 'presence_penalty'];

/** Only the model options a caller set that Baseten's chat completions know; nothing else is invented. */
export function toOpenAiOptions(modelOptions: { readonly [name: string]: unknown } | undefined): Partial<ChatCompletionRequest> {
  const options: Partial<ChatCompletionRequest> = {};
  for (const key of PASSED_OPTIONS) {
    if (modelOptions?.[key] !== undefined) options[key] = modelOptions[key];
  }
  return options;
}
