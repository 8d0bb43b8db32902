/** Chat targets: a Model API of the catalogue, or a deployed model's OpenAI-compatible route. */
import type { ChatEndpoint } from '../../../client/modelApis';
import { MODEL_APIS } from '../../../client/modelApis';
import type { ModelApi } from '../../../client/types';
import type { ChatTargetRef } from './protocol';

export function chatEndpoint(target: ChatTargetRef): ChatEndpoint {
  return target.kind === 'model_api' ? MODEL_APIS : { kind: 'deployment', on: target.on, target: target.target };
}

export function modelApiTarget(model: ModelApi): ChatTargetRef {
  return { kind: 'model_api', model: model.id, label: model.name || model.id, features: model.supported_features ?? [] };
}

export function sameTarget(a: ChatTargetRef | undefined, b: ChatTargetRef | undefined): boolean {
  return !!a && !!b && JSON.stringify(chatEndpoint(a)) === JSON.stringify(chatEndpoint(b)) && a.model === b.model;
}
