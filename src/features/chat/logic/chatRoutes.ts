/**
 * Whether a deployment serves chat: its server has an OpenAI-compatible route (`/v1/models` answers),
 * read once per deployment, and how a refusal is put into words that name the route.
 */
import { BasetenError } from '../../../client/errors';
import type { ModelApi } from '../../../client/types';

/** `serves: false`: the server answered 404 on its OpenAI route. Undefined elsewhere: it could not be told. */
export type ChatRoute = { serves: true; servedName: string } | { serves: false };

export const CHAT_ROUTE = '/v1/chat/completions';

/** The route's answer read as a fact: a list (its first entry's id is the served name), a 404, or nothing known. */
export function chatRouteFrom(result: { listed: ModelApi[] } | { error: unknown }, ownerName: string): ChatRoute | undefined {
  if ('listed' in result) return { serves: true, servedName: result.listed[0]?.id || ownerName };
  return isMissingRoute(result.error) ? { serves: false } : undefined;
}

/**
 * A 404 from the model's own server (`{"detail": "Not Found"}`), not Baseten's own 404 for a deployment
 * that does not exist or is not active (`model_does_not_exist`).
 */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof BasetenError && error.status === 404 && error.code !== 'model_does_not_exist';
}

export function noChatRouteMessage(label: string): string {
  return `${label} has no OpenAI-compatible ${CHAT_ROUTE} route, so it cannot chat. Choose a Model API, or a deployment whose server has one (vLLM, SGLang, Baseten's engines); use Predict for other models.`;
}
