/**
 * Messages from the chat page are checked before use: the page renders untrusted model output, so the
 * host accepts only well-formed protocol messages.
 */
import { readChatModel } from './chatTargets';
import type { ChatSettings, ConversationState, WebviewToHost } from './protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function parseSettings(value: unknown): ChatSettings | undefined {
  if (!isRecord(value) || typeof value.system !== 'string') return undefined;
  return {
    system: value.system.slice(0, 100_000),
    temperature: optionalNumber(value.temperature),
    maxTokens: optionalNumber(value.maxTokens),
    reasoningEffort: typeof value.reasoningEffort === 'string' && /^[a-z]{1,16}$/.test(value.reasoningEffort) ? value.reasoningEffort : undefined,
  };
}

/** A restored panel's saved conversation, its model read as today's `ChatModel`; undefined when it is not one. */
export function readConversationState(value: unknown): ConversationState | undefined {
  if (!(isRecord(value) && value.version === 1 && Array.isArray(value.turns) && Array.isArray(value.pending) && parseSettings(value.settings) !== undefined)) return undefined;
  const state = value as unknown as ConversationState;
  return { ...state, target: readChatModel(value.target) };
}

export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'stop':
    case 'pickTarget':
    case 'newConversation':
      return { type: raw.type };
    case 'send': {
      const settings = parseSettings(raw.settings);
      return typeof raw.text === 'string' && raw.text.trim() && settings ? { type: 'send', text: raw.text, settings } : undefined;
    }
    case 'removeContext':
      return typeof raw.id === 'string' ? { type: 'removeContext', id: raw.id } : undefined;
    case 'code':
      return (raw.action === 'copy' || raw.action === 'insert' || raw.action === 'replace') && typeof raw.code === 'string'
        ? { type: 'code', action: raw.action, code: raw.code }
        : undefined;
    case 'openLink':
      return typeof raw.href === 'string' ? { type: 'openLink', href: raw.href } : undefined;
    case 'showLogs':
      return typeof raw.answerId === 'string' ? { type: 'showLogs', answerId: raw.answerId } : undefined;
    case 'settings': {
      const settings = parseSettings(raw.settings);
      return settings ? { type: 'settings', settings } : undefined;
    }
    default:
      return undefined;
  }
}
