/**
 * The Baseten client: plain Node, no editor APIs. One `BasetenClient` per key and set of endpoints.
 */
import { HttpClient, HttpClientOptions } from './http';
import { InferenceClient } from './inference';
import { AutoscalingClient } from './autoscaling';
import { LogsClient } from './logs';
import { ManagementClient } from './management';
import { MetricsClient } from './metrics';
import { PromotionClient } from './promotion';
import { ModelApisClient } from './modelApis';
import { ModelUploadClient } from './modelUpload';
import { PatchClient } from './patches';
import { BasetenEndpoints, DEFAULT_ENDPOINTS } from './urls';
import { WebSocketSession, WebSocketSessionOptions, openWebSocketSession } from './websocket';
import type { Owner, Target } from './target';

export interface BasetenClientOptions extends HttpClientOptions {
  /** Overrides of Baseten's real hosts (the emulator, a proxy gateway). */
  endpoints?: Partial<BasetenEndpoints>;
}

export class BasetenClient {
  readonly http: HttpClient;
  readonly endpoints: BasetenEndpoints;
  readonly modelApis: ModelApisClient;
  readonly inference: InferenceClient;
  readonly management: ManagementClient;
  readonly metrics: MetricsClient;
  readonly promotion: PromotionClient;
  readonly autoscaling: AutoscalingClient;
  readonly logs: LogsClient;
  readonly uploads: ModelUploadClient;
  readonly patches: PatchClient;

  constructor(options: BasetenClientOptions) {
    this.endpoints = { ...DEFAULT_ENDPOINTS, ...definedEndpoints(options.endpoints) };
    this.http = new HttpClient(options);
    const endpoints = (): BasetenEndpoints => this.endpoints;
    this.modelApis = new ModelApisClient(this.http, endpoints);
    this.inference = new InferenceClient(this.http, endpoints);
    this.management = new ManagementClient(this.http, endpoints);
    this.metrics = new MetricsClient(this.http, endpoints);
    this.promotion = new PromotionClient(this.http, endpoints);
    this.autoscaling = new AutoscalingClient(this.http, endpoints);
    this.logs = new LogsClient(this.http, endpoints);
    this.uploads = new ModelUploadClient(this.http, endpoints);
    this.patches = new PatchClient(this.http, endpoints);
  }

  /** A WebSocket session to a model's or chain's `websocket` action, the auth header on the upgrade. */
  openWebSocket(owner: Pick<Owner, 'kind' | 'id'>, target: Target, options: WebSocketSessionOptions = {}): Promise<WebSocketSession> {
    return openWebSocketSession(this.http, this.endpoints, owner, target, options);
  }

  /** Lets pooled sockets finish and closes them. */
  close(): Promise<void> {
    return this.http.close();
  }

  /** Closes every socket at once. */
  destroy(): Promise<void> {
    return this.http.destroy();
  }
}

function definedEndpoints(endpoints: Partial<BasetenEndpoints> | undefined): Partial<BasetenEndpoints> {
  if (!endpoints) return {};
  return Object.fromEntries(Object.entries(endpoints).filter(([, value]) => typeof value === 'string' && value.trim())) as Partial<BasetenEndpoints>;
}

export * from './errors';
export { describeFailure } from './failureReport';
export type { FailureContext, FailureReport, NextAction } from './failureReport';
export { RETRYABLE_STATUSES, parseErrorBody, truncateBody, parseRetryAfter, httpError } from './responseErrors';
export type { ParsedErrorBody, HttpErrorContext } from './responseErrors';
export * from './keyRefusal';
export * from './target';
export * from './urls';
export * from './types';
export { HttpClient, DEFAULT_TIMEOUTS, DEFAULT_RETRY, callOutcome } from './http';
export type { HttpClientOptions, Timeouts, RetryPolicy, AuthScheme, ApiKeySource, RequestLogEntry } from './http';
export { ModelApisClient, MODEL_APIS, pricePerMillionTokens, describeModelFeature } from './modelApis';
export type { ChatEndpoint, ChatOptions, CallOptions } from './modelApis';
export { ChatStream } from './chatStream';
export type { ChatStreamEvent, ChatResult, ChatTimings } from './chatStream';
export { InferenceClient, jsonInput, bytesInput, textInput, isTerminalAsyncStatus } from './inference';
export type { PredictInput, PredictOptions, AsyncPredictOptions, AsyncSubmitResult, AsyncCancelResult, WakeResult, InferenceCallOptions } from './inference';
export { predictResponseKind } from './predictResponse';
export type {
  PredictResponse,
  PredictResponseKind,
  JsonPredictResponse,
  SsePredictResponse,
  StreamPredictResponse,
  BinaryPredictResponse,
} from './predictResponse';
export { validateAsyncPredictRequest, findAsyncPredictIssues, ASYNC_MAX_BODY_BYTES } from './asyncValidation';
export type { AsyncValidationIssue, AsyncValidationOptions, ValidatedAsyncRequest } from './asyncValidation';
export {
  ManagementClient,
  DeploymentStatusError,
  isTransitionalStatus,
  isSleeping,
  isFailedStatus,
  describeDeploymentStatus,
} from './management';
export type { ManagementCallOptions, DeploymentRef, ActivationResult, WaitForDeploymentOptions } from './management';
export { LogsClient, LOG_LEVELS, LOG_WINDOW_MS, LOG_PAGE_MAX, parseLogLevel, logQueryParams, logsPath, toLogEntry, logEntryKey, compareLogEntries } from './logs';
export type { LogLevel, LogV1, LogSource, LogQuery, LogFilter, LogEntry, LogPage, LogCallOptions } from './logs';
export { WebSocketSession, openWebSocketSession, explainCloseCode, WEBSOCKET_MAX_MESSAGE_BYTES } from './websocket';
export type { WebSocketSessionOptions, WebSocketEvent, WebSocketCloseEvent } from './websocket';
export type { SseEvent } from './sse';
export { Utf8Decoder } from './utf8Decoder';
export { curlCommand } from './curl';
export type { CurlOptions } from './curl';
export { StatusBudget } from './statusBudget';
export type { StatusBudgetOptions, BudgetPriority } from './statusBudget';
export { AsyncRequestWatcher, isSettledAsyncStatus, DEFAULT_POLL_SCHEDULE, ASYNC_STATUS_RETENTION_MS, ASYNC_MAX_RUN_MS } from './asyncWatcher';
export type { WatchedAsyncRequest, PollSchedule, WatchEnd, AsyncWatcherOptions } from './asyncWatcher';
export { signWebhookBody, verifyWebhookSignature, signatureEntries } from './webhookSignature';
export { WebhookReceiver, WEBHOOK_PATH } from './webhookReceiver';
export type { WebhookDelivery, WebhookRejection, WebhookReceiverOptions } from './webhookReceiver';
export type { AsyncStatusCallOptions } from './inference';
export { describeAsyncError, describeAsyncStatus, describeWebhookStatus, formatAge } from './asyncStatus';
export { emulatorControlUrl, registerEmulatorWebhookSecret } from './emulatorSecret';
export { MetricsClient, METRIC_NAMES, metricSeries, readDeploymentMetrics } from './metrics';
export type { DeploymentMetrics, DeploymentMetricsV1, MetricDescriptorV1, MetricMode, MetricPoint, MetricsQuery } from './metrics';
export { PromotionClient, describePromotionStatus, isPromotionInProgress, promotionOf } from './promotion';
export type { CancelPromotionResult, PromoteOptions, PromotionState, PromotionStatus } from './promotion';
export {
  AutoscalingClient,
  AUTOSCALING_RANGES,
  autoscalingChanges,
  autoscalingErrors,
  autoscalingRange,
  autoscalingValueError,
  currentAutoscaling,
  describeAutoscaling,
  describeRange,
  formatSeconds,
} from './autoscaling';
export type { AutoscalingField, AutoscalingRange, AutoscalingUpdate, AutoscalingUpdateResult } from './autoscaling';
export { ModelUploadClient, s3EndpointFor } from './modelUpload';
export type { DeploymentArchivePayload, UploadCredentials, PreparedUpload, CreatedModelDeployment, UploadDestination } from './modelUpload';
export { PatchClient } from './patches';
export type { PatchPoint, PatchPointWithHash, PatchState, PatchOp, PatchAction, PatchOutcome, PatchPlanner } from './patches';
