/**
 * What the chat panel's extension side and its webview say to each other, and the conversation state
 * both keep. Plain data only: it crosses `postMessage` and is saved as the webview's state.
 */
import type { ToolCall } from '../../../client/types';
import type { TargetRef } from '../../../client/target';

/** A piece of the editor attached to a question: the selection, with where it came from. */
export interface ChatContext {
  id: string;
  /** Workspace-relative path (or the untitled name). */
  file: string;
  language: string;
  startLine: number;
  endLine: number;
  text: string;
}

export interface ChatSettings {
  system: string;
  temperature?: number;
  maxTokens?: number;
  /** `low` | `medium` | `high`, sent only to models that support reasoning effort. */
  reasoningEffort?: string;
}

/** Figures of one answer, the ones a user compares models by. */
export interface AnswerStats {
  /** Milliseconds from sending to the first content, reasoning or tool-call token. */
  timeToFirstTokenMs?: number;
  /** Completion tokens per second after the first token. */
  tokensPerSecond?: number;
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  durationMs?: number;
  requestId?: string;
  finishReason?: string;
}

export interface UserTurn {
  role: 'user';
  id: string;
  text: string;
  context: ChatContext[];
}

export type AnswerState = 'streaming' | 'done' | 'stopped' | 'failed';

export interface AssistantTurn {
  role: 'assistant';
  id: string;
  /** The target's label when the answer was asked for (a conversation can change model). */
  model: string;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  state: AnswerState;
  error?: string;
  stats: AnswerStats;
  /** A failed answer of a deployed model: where *Show Logs* leads (its target, when it failed; the request id is in the stats). */
  logs?: TargetRef & { atMs: number };
}

export type Turn = UserTurn | AssistantTurn;

/** Which model answers: a Model API, or a deployed target's own OpenAI-compatible server; the extension side resolves it to a client endpoint. */
export type ChatModel =
  | { kind: 'model_api'; model: string; label: string; features: string[] }
  /** `…/sync/v1/chat/completions` of the target; `model` is its served name. */
  | ({ kind: 'deployment'; model: string; label: string; features: string[] } & TargetRef);

export interface ConversationState {
  version: 1;
  target?: ChatModel;
  settings: ChatSettings;
  turns: Turn[];
  /** Context waiting to go with the next question. */
  pending: ChatContext[];
}

/** A batch of an answer's growth: text appended since the last batch; when present, every tool call as it stands now. */
export interface AnswerDelta {
  text?: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
}

export type HostToWebview =
  | { type: 'state'; state: ConversationState }
  | { type: 'turns'; user: UserTurn; answer: AssistantTurn }
  | { type: 'delta'; answerId: string; delta: AnswerDelta }
  | { type: 'answerEnded'; answer: AssistantTurn }
  | { type: 'pending'; pending: ChatContext[] }
  | { type: 'target'; target?: ChatModel }
  | { type: 'focusInput' }
  | { type: 'focusTarget' }
  /** The panel became the active one (the user came back to it, or it just opened). */
  | { type: 'returned' };

export type CodeAction = 'copy' | 'insert' | 'replace';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string; settings: ChatSettings }
  | { type: 'stop' }
  | { type: 'pickTarget' }
  | { type: 'newConversation' }
  | { type: 'removeContext'; id: string }
  | { type: 'code'; action: CodeAction; code: string }
  | { type: 'openLink'; href: string }
  /** *Show Logs* under a failed answer of a deployed model. */
  | { type: 'showLogs'; answerId: string }
  /** The options form changed; the transcript the host keeps is the one that counts. */
  | { type: 'settings'; settings: ChatSettings };

export function emptyConversation(settings: Partial<ChatSettings> = {}): ConversationState {
  return { version: 1, settings: { system: '', ...settings }, turns: [], pending: [] };
}
