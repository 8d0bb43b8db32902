/**
 * The token limits VS Code's chat is told for a Model API. Baseten's `/v1/models` often gives
 * `max_completion_tokens` equal to the context length (gpt-oss: 128072 both), so "context minus output"
 * would leave no room for the conversation: the output reserve is capped at a share of the context.
 */

/** Used when the catalogue gives no context length. */
export const DEFAULT_CONTEXT_TOKENS = 32_768;
/** Used when the catalogue gives no output limit. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
/** The largest share of the context kept for the answer. */
export const OUTPUT_SHARE_OF_CONTEXT = 1 / 4;
export const MIN_INPUT_TOKENS = 1024;

export interface TokenLimits {
  maxInputTokens: number;
  maxOutputTokens: number;
}

export function tokenLimits(contextLength: number | undefined, maxCompletionTokens: number | undefined): TokenLimits {
  const context = contextLength && contextLength > 0 ? contextLength : DEFAULT_CONTEXT_TOKENS;
  const completion = maxCompletionTokens && maxCompletionTokens > 0 ? maxCompletionTokens : DEFAULT_MAX_OUTPUT_TOKENS;
  const reserved = Math.min(completion, Math.floor(context * OUTPUT_SHARE_OF_CONTEXT));
  const maxInputTokens = Math.max(MIN_INPUT_TOKENS, context - reserved);
  // Input and output together never exceed the context (a tiny context still allows one output token).
  const maxOutputTokens = Math.max(1, Math.min(completion, context - maxInputTokens));
  return { maxInputTokens, maxOutputTokens };
}
