/**
 * Turns a conversation into the chat request Baseten receives: system prompt, earlier turns, the new
 * question with its attached code, and only the options the user set (and the model supports).
 */
import type { ChatCompletionRequest, ChatMessage } from '../../../client/types';
import type { AssistantTurn, ChatContext, ChatSettings, ChatModel, ConversationState } from './protocol';

/** A fence that no run of backticks inside `text` can close early. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function describeContext(context: ChatContext): string {
  const lines = context.startLine === context.endLine ? `line ${context.startLine}` : `lines ${context.startLine}-${context.endLine}`;
  return `${context.file} (${lines})`;
}

/** The user's words with each attached piece of code as a fenced block naming its file and lines. */
export function userContent(text: string, context: readonly ChatContext[]): string {
  if (!context.length) return text;
  const blocks = context.map((piece) => {
    const fence = fenceFor(piece.text);
    return `${describeContext(piece)}:\n${fence}${piece.language}\n${piece.text}\n${fence}`;
  });
  return `${blocks.join('\n\n')}\n\n${text}`;
}

function assistantContent(turn: AssistantTurn): string | undefined {
  if (turn.text) return turn.text;
  // The panel runs no tools; an answer that was only tool calls is kept as a note of what was asked for.
  if (turn.toolCalls.length) return turn.toolCalls.map((call) => `(called ${call.function.name}(${call.function.arguments}))`).join('\n');
  return undefined;
}

export function supports(target: ChatModel | undefined, feature: string): boolean {
  return !!target?.features.includes(feature);
}

/** Options worth sending: what the user set, within what the model supports. Nothing else. */
export function requestOptions(settings: ChatSettings, target: ChatModel | undefined): Partial<ChatCompletionRequest> {
  const options: Partial<ChatCompletionRequest> = {};
  if (typeof settings.temperature === 'number' && Number.isFinite(settings.temperature)) options.temperature = settings.temperature;
  if (typeof settings.maxTokens === 'number' && settings.maxTokens > 0) options.max_tokens = Math.floor(settings.maxTokens);
  if (settings.reasoningEffort && supports(target, 'reasoning_effort')) options.reasoning_effort = settings.reasoningEffort;
  return options;
}

/** The messages for asking `question` (with `context`) after the conversation so far. */
export function chatMessages(state: ConversationState, question: string, context: readonly ChatContext[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (state.settings.system.trim()) messages.push({ role: 'system', content: state.settings.system });
  for (const turn of state.turns) {
    if (turn.role === 'user') {
      messages.push({ role: 'user', content: userContent(turn.text, turn.context) });
      continue;
    }
    const content = assistantContent(turn);
    if (content !== undefined) messages.push({ role: 'assistant', content });
  }
  // Two user messages in a row (an earlier answer failed before any text) are fine for OpenAI-style servers.
  messages.push({ role: 'user', content: userContent(question, context) });
  return messages;
}

export function chatRequest(state: ConversationState, question: string, context: readonly ChatContext[], model: string): ChatCompletionRequest {
  return { model, messages: chatMessages(state, question, context), ...requestOptions(state.settings, state.target) };
}
