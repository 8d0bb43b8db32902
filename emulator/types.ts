/**
 * The emulator's public types: its options, the handle `startEmulator` returns, fault rules and the
 * request record. Everything else in emulator/ is an implementation detail.
 */
import type { BasetenEndpoints } from '../src/client/urls';
import type { DeploymentStatus, EmulatorState } from './state/state';

export type { DeploymentStatus, EmulatorState } from './state/state';

export interface EmulatorOptions {
  /** 0 (default): an ephemeral port. */
  port?: number;
  /** Full-access workspace key. Default `DEMO_API_KEY`. */
  apiKey?: string;
  /** Invoke-only workspace key: inference works, management answers 403. Default `INVOKE_ONLY_API_KEY`. */
  invokeOnlyApiKey?: string;
  /** No artificial delays at all (wake, tokens, async runs); for benchmarks. */
  fast?: boolean;
  /** Total time of SCALED_TO_ZERO → WAKING_UP → LOADING_MODEL → ACTIVE. Default 3000 (0 when fast). */
  wakeDelayMs?: number;
  /**
   * How long a promotion takes (RELEASING → RAMPING_UP → serving) unless the environment ramps up while
   * promoting (then `ramp_up_duration_seconds` × `queueSecondsScale`). Default 2000 (0 when fast: at once).
   */
  promotionMs?: number;
  /** Delay between streamed chunks (chat tokens, chunked and SSE predict output). Default 15 (0 when fast). */
  tokenDelayMs?: number;
  /** Real milliseconds per Baseten "second" in async queue times, retry delays and webhook timing. Default 1000. */
  queueSecondsScale?: number;
  /** How long one async request runs. Default 500 (0 when fast). */
  asyncRunMs?: number;
  /** How long an async status stays readable after the request ended. Default 3_600_000. */
  statusRetentionMs?: number;
  /** Per API key and second, for async status, cancel and queue status; 429 above it. Default 20. */
  asyncStatusRateLimitPerSecond?: number;
  /** When set, webhook deliveries carry `X-BASETEN-SIGNATURE: v1=<hex hmac-sha256(secret, body)>`. */
  webhookSecret?: string;
  /**
   * An ACTIVE deployment with min_replica 0 falls asleep after this long without traffic, scaled by its
   * `scale_down_delay` against Baseten's default 900 s (450 s: half as long). Default: never.
   */
  scaleToZeroAfterMs?: number;
  /** How long a request to a sleeping deployment is parked before it fails with 500. Default 1_200_000. */
  parkingTimeoutMs?: number;
  /** One line per finished request (never the key). */
  log?: (line: string) => void;
  /**
   * A large workspace for benchmarks: this many generated models (`scale-model-0001`, …), each with
   * `deploymentsPerModel` deployments, after the demo seed; rebuilt the same on every reset.
   */
  scale?: ScaleSeed;
}

export interface ScaleSeed {
  models: number;
  deploymentsPerModel: number;
}

export interface RecordedRequest {
  id: number;
  /** `Date.now()` on arrival. */
  at: number;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The query string with its `?`, or ''. */
  query: string;
  status?: number;
  durationMs?: number;
  /** The client closed the connection before the response ended. */
  clientAborted: boolean;
  /** Lower-case names; `authorization` keeps its scheme and loses the key. */
  headers: Record<string, string>;
  bodyBytes: number;
  /** The fault applied to this request, e.g. `status 503` or `drop`. */
  fault?: string;
}

export interface RequestFilter {
  method?: string;
  /** A string matches the whole path; a RegExp is tested against it. */
  path?: string | RegExp;
  status?: number;
}

export interface EmulatorStats {
  /** TCP sockets open right now (HTTP and WebSocket). */
  readonly openConnections: number;
  /** Every request to the Baseten surfaces, in arrival order (control API calls are not recorded). */
  readonly requests: readonly RecordedRequest[];
  count(filter?: RequestFilter): number;
  /** The most matching requests that arrived within any `windowMs` (default 1000). */
  peakPerWindow(filter?: RequestFilter, windowMs?: number): number;
  /** Requests to the management API (`{base}/management/…`), for checks on how many a client sends at once. */
  readonly management: RequestLoad;
  reset(): void;
}

export interface RequestLoad {
  /** Arrived since start or the last reset. */
  readonly received: number;
  /** Arrived and not yet answered (or abandoned) right now. */
  readonly inFlight: number;
  /** The most in flight at once since start or the last reset. */
  readonly peakInFlight: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: string; headers?: Record<string, string> }
  | { kind: 'drop'; afterBytes?: number; afterEvents?: number }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'stall'; afterBytes?: number; afterEvents?: number }
  | { kind: 'malformed-sse' }
  | { kind: 'malformed-json' }
  | { kind: 'ws-close'; code: number; reason?: string; afterMessages?: number }
  | { kind: 'ws-terminate'; afterMessages?: number };

export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
  /** A deployed model's or chain's ID, from the `model-{id}` / `chain-{id}` host prefix. */
  modelId?: string;
  /** A Model API slug, from the `model` field of a chat completions body. */
  model?: string;
}

export interface FaultRule {
  match?: FaultMatch;
  /** Apply to the next N matching requests; unlimited when absent. */
  times?: number;
  fault: Fault;
}

export interface EmulatorFaults {
  /** Adds a rule; the returned function removes it. */
  add(rule: FaultRule): () => void;
  clear(): void;
}

export interface Emulator {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** What the client's `BasetenEndpoints` needs to talk to this emulator. */
  readonly endpoints: BasetenEndpoints;
  readonly apiKey: string;
  readonly invokeOnlyApiKey: string;
  /** Live, mutable state. Use `setDeploymentStatus` to change a status so that parked requests notice. */
  readonly state: EmulatorState;
  readonly faults: EmulatorFaults;
  readonly stats: EmulatorStats;
  setDeploymentStatus(modelId: string, deploymentId: string, status: DeploymentStatus): void;
  /** Back to the seed; faults, stats, async requests and webhook deliveries cleared. */
  reset(): void;
  /** Closes every socket (HTTP and WebSocket) and timer. */
  close(): Promise<void>;
}
