import * as vscode from 'vscode';
import type { ChatCompletionRequest, ChatContentPart, ChatMessage, ToolCall, ToolDefinition } from '../../client/types';
import { ImageInputNotSupportedError, imageUrlPart, isImagePart } from './logic/imageParts';

function textOf(parts: ReadonlyArray<unknown>): string {
  return parts
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : typeof part === 'string' ? part : ''))
    .join('');
}

export interface MessageOptions {
  /** The model's id, for the error when it cannot take an image. */
  model: string;
  imageInput: boolean;
}

/** A user or system turn's content: a plain string, or parts in order when it carries images. */
function turnContent(text: string[], images: ChatContentPart[], order: Array<'text' | 'image'>): string | ChatContentPart[] {
  if (!images.length) return text.join('');
  const parts: ChatContentPart[] = [];
  let t = 0;
  let i = 0;
  for (const kind of order) {
    if (kind === 'image') parts.push(images[i++]);
    else {
      const last = parts[parts.length - 1];
      if (last?.type === 'text') last.text += text[t++];
      else parts.push({ type: 'text', text: text[t++] });
    }
  }
  return parts;
}

/**
 * VS Code's chat messages as OpenAI-style messages: text parts joined, images as `image_url` parts
 * (only for a model that takes them: otherwise an error, never a silently dropped image), an
 * assistant's tool calls as `tool_calls`, and each tool result as a `tool` message after the user turn
 * that carried it.
 */
export function toOpenAiMessages(messages: readonly vscode.LanguageModelChatRequestMessage[], options: MessageOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const toolCalls: ToolCall[] = [];
    const toolResults: ChatMessage[] = [];
    const text: string[] = [];
    const images: ChatContentPart[] = [];
    const order: Array<'text' | 'image'> = [];
    for (const part of message.content) {
      if (part instanceof vscode.LanguageModelTextPart) {
        text.push(part.value);
        order.push('text');
      } else if (isImagePart(part)) {
        if (!options.imageInput) throw new ImageInputNotSupportedError(options.model);
        images.push(imageUrlPart(part));
        order.push('image');
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
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
    if (text.length || images.length || !toolResults.length) {
      out.push({ role: message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'system', content: turnContent(text, images, order), ...(message.name ? { name: message.name } : {}) });
    }
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
