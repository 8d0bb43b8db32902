/** Options with their defaults filled in; `fast` turns every artificial delay off. */
import { DEMO_API_KEY, INVOKE_ONLY_API_KEY } from '../state/seed';
import type { EmulatorOptions } from '../types';

export interface ResolvedOptions {
  port: number;
  apiKey: string;
  invokeOnlyApiKey: string;
  fast: boolean;
  wakeDelayMs: number;
  tokenDelayMs: number;
  queueSecondsScale: number;
  asyncRunMs: number;
  statusRetentionMs: number;
  asyncStatusRateLimitPerSecond: number;
  webhookSecret: string | undefined;
  scaleToZeroAfterMs: number | undefined;
  parkingTimeoutMs: number;
  log: (line: string) => void;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  return value;
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const fast = options.fast === true;
  const apiKey = options.apiKey ?? DEMO_API_KEY;
  const invokeOnlyApiKey = options.invokeOnlyApiKey ?? INVOKE_ONLY_API_KEY;
  if (apiKey === invokeOnlyApiKey) throw new RangeError('apiKey and invokeOnlyApiKey must differ');
  return {
    port: nonNegative(options.port, 0, 'port'),
    apiKey,
    invokeOnlyApiKey,
    fast,
    wakeDelayMs: nonNegative(options.wakeDelayMs, fast ? 0 : 3000, 'wakeDelayMs'),
    tokenDelayMs: nonNegative(options.tokenDelayMs, fast ? 0 : 15, 'tokenDelayMs'),
    queueSecondsScale: nonNegative(options.queueSecondsScale, 1000, 'queueSecondsScale'),
    asyncRunMs: nonNegative(options.asyncRunMs, fast ? 0 : 500, 'asyncRunMs'),
    statusRetentionMs: nonNegative(options.statusRetentionMs, 3_600_000, 'statusRetentionMs'),
    asyncStatusRateLimitPerSecond: nonNegative(options.asyncStatusRateLimitPerSecond, 20, 'asyncStatusRateLimitPerSecond'),
    webhookSecret: options.webhookSecret,
    scaleToZeroAfterMs: options.scaleToZeroAfterMs === undefined ? undefined : nonNegative(options.scaleToZeroAfterMs, 0, 'scaleToZeroAfterMs'),
    parkingTimeoutMs: nonNegative(options.parkingTimeoutMs, 1_200_000, 'parkingTimeoutMs'),
    log: options.log ?? (() => undefined),
  };
}
