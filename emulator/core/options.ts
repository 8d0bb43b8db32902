/** Options with their defaults filled in; `fast` turns every artificial delay off. */
import { SCALE_LIMITS } from '../state/scaleSeed';
import { DEMO_API_KEY, INVOKE_ONLY_API_KEY } from '../state/seed';
import type { EmulatorOptions, ScaleSeed } from '../types';

export interface ResolvedOptions {
  port: number;
  apiKey: string;
  invokeOnlyApiKey: string;
  fast: boolean;
  wakeDelayMs: number;
  promotionMs: number;
  tokenDelayMs: number;
  queueSecondsScale: number;
  asyncRunMs: number;
  statusRetentionMs: number;
  asyncStatusRateLimitPerSecond: number;
  webhookSecret: string | undefined;
  scaleToZeroAfterMs: number | undefined;
  parkingTimeoutMs: number;
  log: (line: string) => void;
  scale: ScaleSeed | undefined;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  return value;
}

function wholeNumber(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

function resolveScale(scale: ScaleSeed | undefined): ScaleSeed | undefined {
  if (scale === undefined) return undefined;
  return {
    models: wholeNumber(scale.models, 0, SCALE_LIMITS.models, 'scale.models'),
    deploymentsPerModel: wholeNumber(scale.deploymentsPerModel, 1, SCALE_LIMITS.deploymentsPerModel, 'scale.deploymentsPerModel'),
  };
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
    promotionMs: nonNegative(options.promotionMs, fast ? 0 : 2000, 'promotionMs'),
    tokenDelayMs: nonNegative(options.tokenDelayMs, fast ? 0 : 15, 'tokenDelayMs'),
    queueSecondsScale: nonNegative(options.queueSecondsScale, 1000, 'queueSecondsScale'),
    asyncRunMs: nonNegative(options.asyncRunMs, fast ? 0 : 500, 'asyncRunMs'),
    statusRetentionMs: nonNegative(options.statusRetentionMs, 3_600_000, 'statusRetentionMs'),
    asyncStatusRateLimitPerSecond: nonNegative(options.asyncStatusRateLimitPerSecond, 20, 'asyncStatusRateLimitPerSecond'),
    webhookSecret: options.webhookSecret,
    scaleToZeroAfterMs: options.scaleToZeroAfterMs === undefined ? undefined : nonNegative(options.scaleToZeroAfterMs, 0, 'scaleToZeroAfterMs'),
    parkingTimeoutMs: nonNegative(options.parkingTimeoutMs, 1_200_000, 'parkingTimeoutMs'),
    log: options.log ?? (() => undefined),
    scale: resolveScale(options.scale),
  };
}
