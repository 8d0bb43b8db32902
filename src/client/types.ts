/**
 * Wire types, named after Baseten's OpenAPI schemas where they have one. Optional fields are optional
 * because Baseten's engines differ; the client reads what is there.
 */

// ---------------------------------------------------------------- Model APIs (inference.baseten.co/v1)

/** One entry of `GET /v1/models`. Prices are strings in USD per token. */
export interface ModelApi {
  id: string;
  object?: 'model';
  created?: number;
  owned_by?: string;
  name?: string;
  description?: string;
  context_length?: number;
  max_completion_tokens?: number;
  quantization?: string;
  hugging_face_id?: string;
  pricing?: {
    prompt?: string;
    completion?: string;
    image?: string;
    request?: string;
    input_cache_read?: string;
  };
  /** Observed: tools, reasoning, reasoning_effort, json_mode, structured_outputs. */
  supported_features?: string[];
  supported_sampling_parameters?: string[];
  input_modalities?: string[];
  output_modalities?: string[];
}

export interface ModelApiList {
  data: ModelApi[];
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool' | 'developer';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' | 'original' } }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** Reasoning text of an earlier assistant turn; most engines ignore it on input. */
  reasoning_content?: string | null;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; description?: string; strict?: boolean } }
  | { type: 'grammar'; grammar: string }
  | { type: 'structural_tag'; structural_tag: string };

/**
 * `POST /v1/chat/completions`. Only the fields a caller sets are sent; `chatStream` adds `stream: true`.
 * Baseten's extra sampling fields are accepted through the index signature.
 */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  stop?: string | string[];
  seed?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  tools?: ToolDefinition[];
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  reasoning_effort?: string;
  chat_template_args?: Record<string, unknown>;
  stream_options?: { include_usage?: boolean; continuous_usage_stats?: boolean };
  user?: string;
  [extra: string]: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | (string & {});

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { audio_tokens?: number; cached_tokens?: number } | null;
  completion_tokens_details?: {
    accepted_prediction_tokens?: number;
    audio_tokens?: number;
    reasoning_tokens?: number;
    rejected_prediction_tokens?: number;
  } | null;
}

export interface ChatCompletionResponseMessage {
  role: 'assistant';
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ id?: string; type?: 'function'; function: { name: string; arguments: string | Record<string, unknown> } }> | null;
  refusal?: string | null;
}

export interface ChatCompletionResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatCompletionResponseMessage;
    finish_reason: FinishReason | null;
    stop_reason?: number | string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage | null;
}

export interface ToolCallDelta {
  index: number;
  id?: string | null;
  type?: 'function' | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: string | null;
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: ToolCallDelta[] | null;
    };
    finish_reason?: FinishReason | null;
    stop_reason?: number | string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage | null;
}

// ---------------------------------------------------------------- Deployed models and chains

/** `ErrorResponse` of the inference spec. */
export interface InferenceErrorBody {
  error?: string;
  error_code?:
    | 'timeout'
    | 'client_error'
    | 'model_unavailable'
    | 'model_not_ready'
    | 'model_does_not_exist'
    | 'rate_limited'
    | 'payload_too_large'
    | 'unauthorized'
    | 'application_error'
    | 'internal_baseten_error';
  detail?: string;
}

export interface AsyncInferenceRetryConfig {
  /** 1..10, total attempts including the first. */
  max_attempts?: number;
  /** 0..10000 */
  initial_delay_ms?: number;
  /** 0..60000 */
  max_delay_ms?: number;
}

/** `AsyncPredictRequest`. */
export interface AsyncPredictRequest {
  model_input: unknown;
  webhook_endpoint?: string;
  /** 0..2, lower runs first. */
  priority?: number;
  /** 10..259200 */
  max_time_in_queue_seconds?: number;
  inference_retry_config?: AsyncInferenceRetryConfig;
}

export interface AsyncPredictResponse {
  request_id: string;
}

export type AsyncRequestStatus =
  | 'QUEUED'
  | 'IN_PROGRESS'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'EXPIRED'
  | 'CANCELED'
  | 'WEBHOOK_FAILED';

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

/** `AsyncRequestStatusResponse`. */
export interface AsyncRequestStatusResponse {
  request_id: string;
  model_id?: string;
  chain_id?: string;
  deployment_id: string;
  status: AsyncRequestStatus;
  webhook_status: WebhookStatus;
  created_at: string;
  status_at: string;
  errors: Array<{ code: AsyncErrorCode | (string & {}); message: string }>;
}

export interface AsyncCancelResponse {
  request_id: string;
  canceled: boolean;
  message: string;
}

export interface AsyncQueueStatusResponse {
  model_id: string;
  deployment_id: string;
  num_queued_requests: number;
  num_in_progress_requests: number;
}

/** What Baseten POSTs to a webhook when an async request ends. */
export interface AsyncWebhookPayload {
  request_id: string;
  model_id?: string;
  chain_id?: string;
  deployment_id: string;
  type: 'async_request_completed' | (string & {});
  time: string;
  data: { output?: unknown } | null;
  errors: Array<{ code: AsyncErrorCode | (string & {}); message: string }>;
}

// ---------------------------------------------------------------- Management (api.baseten.co/v1)

export type DeploymentStatus =
  | 'BUILDING'
  | 'DEPLOYING'
  | 'DEPLOY_FAILED'
  | 'LOADING_MODEL'
  | 'ACTIVE'
  | 'UNHEALTHY'
  | 'BUILD_FAILED'
  | 'BUILD_STOPPED'
  | 'DEACTIVATING'
  | 'INACTIVE'
  | 'FAILED'
  | 'UPDATING'
  | 'SCALED_TO_ZERO'
  | 'WAKING_UP';

export interface AutoscalingSettingsV1 {
  min_replica: number;
  max_replica: number;
  autoscaling_window: number | null;
  scale_down_delay: number | null;
  concurrency_target: number;
  target_utilization_percentage: number | null;
  target_in_flight_tokens?: number | null;
  max_scale_down_rate?: number | null;
}

export interface UserInfoV1 {
  user_id: string;
  email?: string | null;
  name?: string | null;
  workspace_name?: string | null;
}

export interface ModelV1 {
  id: string;
  created_at: string;
  name: string;
  deployments_count: number;
  production_deployment_id: string | null;
  development_deployment_id: string | null;
  instance_type_name: string;
  team_name: string;
}

export interface DeploymentV1 {
  id: string;
  created_at: string;
  name: string;
  model_id: string;
  is_production: boolean;
  is_development: boolean;
  status: DeploymentStatus;
  active_replica_count: number;
  autoscaling_settings: AutoscalingSettingsV1 | null;
  instance_type_name: string | null;
  environment: string | null;
  labels?: Record<string, unknown> | null;
  region?: { slug: string; display_name: string } | null;
}

export interface InstanceTypeV1 {
  id: string;
  name: string;
  memory_limit_mib: number;
  millicpu_limit: number;
  gpu_count: number;
  gpu_type: string | null;
  gpu_memory_limit_mib: number | null;
}

export interface EnvironmentV1 {
  name: string;
  created_at: string;
  model_id: string;
  current_deployment: DeploymentV1 | null;
  candidate_deployment?: DeploymentV1 | null;
  in_progress_promotion?: {
    status: 'RELEASING' | 'RAMPING_UP' | 'RAMPING_DOWN' | 'PAUSED' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
    percent_traffic_to_new_version: number;
    error_message?: string | null;
    rolling_deploy?: boolean | null;
  } | null;
  autoscaling_settings: AutoscalingSettingsV1;
  promotion_settings: Record<string, unknown>;
  instance_type: InstanceTypeV1;
}

export interface ChainV1 {
  id: string;
  created_at: string;
  name: string;
  deployments_count: number;
  team_name: string;
}

export interface ChainletV1 {
  id: string;
  name: string;
  autoscaling_settings: AutoscalingSettingsV1 | null;
  instance_type_name: string;
  active_replica_count: number;
  status: DeploymentStatus;
}

export interface ChainDeploymentV1 {
  id: string;
  created_at: string;
  chain_id: string;
  environment: string | null;
  chainlets: ChainletV1[];
  status: DeploymentStatus;
}

export interface ChainEnvironmentV1 {
  name: string;
  created_at: string;
  chain_id: string;
  promotion_settings: Record<string, unknown>;
  chainlet_settings: Array<{ chainlet_name: string; autoscaling_settings: AutoscalingSettingsV1 | null; instance_type: InstanceTypeV1 }>;
  current_deployment: ChainDeploymentV1 | null;
  candidate_deployment?: ChainDeploymentV1 | null;
}
