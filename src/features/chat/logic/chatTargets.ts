/** Who answers a chat: a Model API of the catalogue, or a deployed target's OpenAI-compatible route. */
import type { ChatEndpoint } from '../../../client/modelApis';
import { MODEL_APIS } from '../../../client/modelApis';
import { parseTargetRef, sameTarget, targetLabel } from '../../../client/target';
import type { TargetRef } from '../../../client/target';
import type { ModelApi } from '../../../client/types';
import type { ChatModel } from './protocol';

export function chatEndpoint(model: ChatModel): ChatEndpoint {
  return model.kind === 'model_api' ? MODEL_APIS : { kind: 'deployment', owner: model.owner, target: model.target };
}

export function modelApiChatModel(model: ModelApi): ChatModel {
  return { kind: 'model_api', model: model.id, label: model.name || model.id, features: model.supported_features ?? [] };
}

/** A deployed target, answering as `servedName` (the name its server checks, e.g. vLLM's `--served-model-name`). */
export function deployedChatModel(ref: TargetRef, servedName: string): ChatModel {
  return { kind: 'deployment', owner: ref.owner, target: ref.target, model: servedName, label: targetLabel(ref), features: [] };
}

export function sameChatModel(a: ChatModel | undefined, b: ChatModel | undefined): boolean {
  if (!a || !b || a.kind !== b.kind || a.model !== b.model) return false;
  return a.kind === 'model_api' || (b.kind === 'deployment' && sameTarget(a, b));
}

/**
 * A chat model read from saved state; undefined when it is not one. A deployed one saved before `TargetRef`
 * had its owner as `on`, without a name: it loads, named by its id.
 */
export function readChatModel(value: unknown): ChatModel | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const saved = value as Record<string, unknown>;
  if (typeof saved.model !== 'string' || typeof saved.label !== 'string') return undefined;
  const features = Array.isArray(saved.features) ? saved.features.filter((feature): feature is string => typeof feature === 'string') : [];
  if (saved.kind === 'model_api') return { kind: 'model_api', model: saved.model, label: saved.label, features };
  const ref = saved.kind === 'deployment' ? parseTargetRef(saved) : undefined;
  return ref && { kind: 'deployment', ...ref, model: saved.model, label: saved.label, features };
}
