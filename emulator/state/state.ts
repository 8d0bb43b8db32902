/**
 * The emulator's workspace: models with deployments and environments, chains, the Model APIs catalogue
 * and async requests. Plain data, mutated in place; `management/views.ts` turns it into Baseten's API shapes.
 */
import type { DeploymentStatus } from '../../src/client/types';

/** `DeploymentStatusV1` is the client's wire type; the emulator adds only its runtime list. */
export type { DeploymentStatus };

export const DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'BUILDING',
  'DEPLOYING',
  'DEPLOY_FAILED',
  'LOADING_MODEL',
  'ACTIVE',
  'UNHEALTHY',
  'BUILD_FAILED',
  'BUILD_STOPPED',
  'DEACTIVATING',
  'INACTIVE',
  'FAILED',
  'UPDATING',
  'SCALED_TO_ZERO',
  'WAKING_UP',
];

/** What a deployed model does with a request. */
export type ModelBehaviour = 'echo' | 'transform' | 'chunked' | 'sse' | 'binary' | 'slow' | 'failing' | 'llm';

export interface AutoscalingSettings {
  min_replica: number;
  max_replica: number;
  autoscaling_window: number | null;
  scale_down_delay: number | null;
  concurrency_target: number;
  target_utilization_percentage: number | null;
  target_in_flight_tokens?: number | null;
  max_scale_down_rate?: number | null;
}

export interface InstanceType {
  id: string;
  name: string;
  memory_limit_mib: number;
  millicpu_limit: number;
  gpu_count: number;
  gpu_type: string | null;
  gpu_memory_limit_mib: number | null;
}

export interface PromotionSettings {
  redeploy_on_promotion: boolean | null;
  rolling_deploy: boolean | null;
  promotion_cleanup_strategy: 'KEEP' | 'SCALE_TO_ZERO' | 'DEACTIVATE' | null;
  rolling_deploy_config: null;
  ramp_up_while_promoting: boolean | null;
  ramp_up_duration_seconds: number | null;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface LogLine {
  /** Epoch milliseconds; served as nanoseconds. */
  at: number;
  /** Nanoseconds within the millisecond, so that lines written in one millisecond keep their order. */
  nanos?: number;
  message: string;
  level: LogLevel;
  replica: string | null;
  requestId: string | null;
}

const REPLICA_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A replica's 5-character short id, as Baseten's logs name it: stable for a deployment and index. */
export function replicaName(deploymentId: string, index: number): string {
  let hash = 2166136261 ^ index;
  for (const char of deploymentId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  let name = '';
  for (let i = 0; i < 5; i++) {
    hash = Math.imul(hash ^ (hash >>> 13), 2246822507);
    name += REPLICA_ALPHABET[(hash >>> 0) % REPLICA_ALPHABET.length];
  }
  return name;
}

/** What a model deployment and a chain deployment have in common: a status and replicas. */
export interface Runnable {
  id: string;
  status: DeploymentStatus;
  activeReplicaCount: number;
  autoscalingSettings: AutoscalingSettings | null;
  logs: LogLine[];
}

export interface DeploymentState extends Runnable {
  kind: 'model';
  name: string;
  createdAt: string;
  isDevelopment: boolean;
  instanceTypeName: string | null;
  labels: Record<string, unknown> | null;
}

/** A promotion in progress on an environment (management/promotion.ts moves it on). */
export interface PromotionRun {
  candidateId: string;
  status: 'RELEASING' | 'RAMPING_UP' | 'RAMPING_DOWN';
  percent: number;
  scaleDown: boolean;
}

export interface EnvironmentState {
  name: string;
  createdAt: string;
  currentDeploymentId: string | null;
  promotion?: PromotionRun;
  autoscalingSettings: AutoscalingSettings;
  promotionSettings: PromotionSettings;
  instanceType: InstanceType;
}

export interface ModelState {
  id: string;
  name: string;
  createdAt: string;
  teamName: string;
  instanceTypeName: string;
  behaviour: ModelBehaviour;
  deployments: DeploymentState[];
  environments: EnvironmentState[];
}

export interface ChainletState {
  id: string;
  name: string;
  isEntrypoint: boolean;
  instanceTypeName: string;
  autoscalingSettings: AutoscalingSettings | null;
  status: DeploymentStatus;
  activeReplicaCount: number;
}

export interface ChainDeploymentState extends Runnable {
  kind: 'chain';
  name: string;
  createdAt: string;
  isDevelopment: boolean;
  chainlets: ChainletState[];
}

export interface ChainEnvironmentState {
  name: string;
  createdAt: string;
  currentDeploymentId: string | null;
  promotionSettings: PromotionSettings;
}

export interface ChainState {
  id: string;
  name: string;
  createdAt: string;
  teamName: string;
  deployments: ChainDeploymentState[];
  environments: ChainEnvironmentState[];
}

/** One entry of `GET /v1/models` on the Model APIs host, exactly as served. */
export interface ModelApiEntry {
  id: string;
  created: number;
  object: 'model';
  owned_by: string;
  name: string;
  description: string;
  context_length: number;
  max_completion_tokens: number;
  quantization: string;
  pricing: { prompt: string; completion: string; image: string; request: string; input_cache_read: string };
  supported_sampling_parameters: string[];
  supported_features: string[];
  input_modalities: string[];
  output_modalities: string[];
  hugging_face_id?: string;
}

/** How a Model API's engine speaks; each mirrors recorded traffic (see modelApis/chatWire.ts). */
export type WireFamily = 'vllm' | 'glm' | 'kimi';

export type ToolStreaming =
  /** The whole call in one delta (DeepSeek). */
  | 'whole'
  /** Arguments in pieces; continuation deltas repeat the id and send `name: null` (gpt-oss). */
  | 'pieces-null-name'
  /** Arguments in pieces; continuation deltas carry an empty id, OpenAI-style (the deployed LLM). */
  | 'pieces-empty-id'
  /** Arguments in pieces; continuation deltas repeat the id (GLM as recorded, Kimi). */
  | 'pieces-same-id';

export interface ModelApiBehaviour {
  wire: WireFamily;
  reasoningByDefault: boolean;
  /** Accepted `reasoning_effort` values; others are a 400. Empty: the field is ignored. */
  reasoningEfforts: readonly string[];
  /** gpt-oss reports 0 reasoning tokens although it reasons (as recorded). */
  countsReasoningTokens: boolean;
  /** gpt-oss also sends `message.reasoning` (as recorded in Feb 2026). */
  duplicateReasoningField: boolean;
  /** DeepSeek's finish chunk repeats `reasoning_content: ""` after reasoning (as recorded). */
  finishDeltaReasoning: boolean;
  /**
   * DeepSeek, after reasoning, can hold a short answer (a few tokens) and send it whole after the finish
   * chunk, with `usage: null` (2 of 12 recorded thinking streams).
   */
  shortAnswerAfterFinish: boolean;
  /**
   * The serving deployment's headers: `X-Baseten-Request-Id`, `-Session-Id`, `-Model-Id`, `-Model-Version-Id`,
   * `-Model-Prediction-Attempts`. GLM's answers carry none of them, only `X-Baseten-Accepted-At` (as recorded).
   */
  sendsServingHeaders: boolean;
  /** GLM ends a stream that a `stop` string cut right after the finish chunk: no usage chunk, no `[DONE]` (as recorded). */
  endsAbruptlyOnStopString: boolean;
  /** DeepSeek answers a forced tool call (`required` or a named function) without reasoning first (as recorded). */
  reasonsBeforeForcedToolCall: boolean;
  /** gpt-oss sends a role-only first chunk; DeepSeek puts the first token in it. */
  roleOnlyFirstChunk: boolean;
  toolStreaming: ToolStreaming;
  /** Argument JSON layout: Python's `json.dumps` or indented by two spaces (gpt-oss). */
  toolArgumentsStyle: 'python' | 'indented';
  toolCallIdStyle: 'chatcmpl-tool' | 'kimi';
  /** Where `stop` applies: DeepSeek and GLM also cut reasoning (as recorded). */
  stopScope: 'all' | 'content';
  vision: boolean;
  /**
   * A plain vLLM server (a deployed model): streamed usage only when `stream_options.include_usage` is
   * true, per chunk only when `continuous_usage_stats` is true too. Model APIs default both to true.
   */
  usageOnlyWhenAsked?: boolean;
  /** The 400 message for an image sent to a text-only model. */
  imageRejection: string;
  /** Largest `top_logprobs`; GLM refuses more than 1. */
  maxTopLogprobs: number;
  /** Error bodies: `{"error":{…}}` pretty-printed with tabs, or top-level `{"message","type","code"}`. */
  errorStyle: 'nested' | 'flat';
  /** Extra prompt tokens a chat template adds. */
  promptOverheadTokens: number;
  /** `X-Baseten-Model-Id` / `X-Baseten-Model-Version-Id` of the deployment serving it. */
  servingModelId: string;
  servingDeploymentId: string;
}

export interface ModelApiState {
  /** Not enabled: listed in `/v1/models`, but chat answers 404. */
  enabled: boolean;
  entry: ModelApiEntry;
  behaviour: ModelApiBehaviour;
}

export type AsyncStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED' | 'CANCELED' | 'WEBHOOK_FAILED';
export type WebhookStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'NO_WEBHOOK_PROVIDED';
export type AsyncErrorCode =
  | 'MODEL_PREDICT_ERROR'
  | 'MODEL_PREDICT_TIMEOUT'
  | 'MODEL_NOT_READY'
  | 'MODEL_DOES_NOT_EXIST'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_INVALID_INPUT'
  | 'ASYNC_REQUEST_NOT_SUPPORTED'
  | 'INTERNAL_SERVER_ERROR';

export interface AsyncError {
  code: AsyncErrorCode;
  message: string;
}

export interface AsyncRequestState {
  requestId: string;
  owner: { kind: 'model' | 'chain'; id: string };
  deploymentId: string;
  status: AsyncStatus;
  webhookStatus: WebhookStatus;
  createdAt: number;
  statusAt: number;
  errors: AsyncError[];
  priority: number;
  /** Arrival order, for FIFO within a priority. */
  seq: number;
  maxTimeInQueueSeconds: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  webhookEndpoint: string | null;
  modelInput: unknown;
  attempts: number;
}

export interface UserInfo {
  user_id: string;
  email: string | null;
  name: string | null;
  workspace_name: string | null;
}

export interface TeamInfo {
  id: string;
  name: string;
  default: boolean;
  created_at: string;
}

export interface EmulatorState {
  user: UserInfo;
  team: TeamInfo;
  instanceTypes: InstanceType[];
  modelApis: ModelApiState[];
  models: ModelState[];
  chains: ChainState[];
  asyncRequests: Map<string, AsyncRequestState>;
}

export function findModel(state: EmulatorState, id: string): ModelState | undefined {
  return state.models.find((model) => model.id === id);
}

export function findChain(state: EmulatorState, id: string): ChainState | undefined {
  return state.chains.find((chain) => chain.id === id);
}

export function productionDeployment(model: ModelState): DeploymentState | undefined {
  const id = model.environments.find((environment) => environment.name === 'production')?.currentDeploymentId;
  return model.deployments.find((deployment) => deployment.id === id);
}

export function developmentDeployment(model: ModelState): DeploymentState | undefined {
  return model.deployments.find((deployment) => deployment.isDevelopment);
}

/** The environment a deployment serves, production first; null when it serves none. */
export function environmentOf(owner: ModelState | ChainState, deploymentId: string): string | null {
  const serving = owner.environments.filter((environment) => environment.currentDeploymentId === deploymentId);
  if (serving.length === 0) return null;
  return (serving.find((environment) => environment.name === 'production') ?? serving[0]).name;
}

/** Replicas a status implies: serving statuses keep at least one, the others none. */
export function replicasFor(status: DeploymentStatus, autoscaling: AutoscalingSettings | null): number {
  if (status === 'ACTIVE' || status === 'UPDATING' || status === 'UNHEALTHY') return Math.max(1, autoscaling?.min_replica ?? 1);
  return 0;
}

/** Statuses in which a request is parked while the deployment wakes. */
export function isSleeping(status: DeploymentStatus): boolean {
  return status === 'SCALED_TO_ZERO' || status === 'WAKING_UP' || status === 'LOADING_MODEL';
}

/** Statuses in which a deployment answers requests. */
export function isServing(status: DeploymentStatus): boolean {
  return status === 'ACTIVE' || status === 'UPDATING';
}
