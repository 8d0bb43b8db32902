/**
 * Starts the emulator on a free port and builds `BasetenClient`s pointed at it, with retry delays small
 * enough that a test exercising three attempts takes milliseconds.
 */
import { startEmulator } from '../../../emulator';
import { BasetenClient, BasetenClientOptions } from '../../../src/client';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type EmulatorOptions = NonNullable<Parameters<typeof startEmulator>[0]>;

export const FAST_RETRY = Object.freeze({ maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 });

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ port: 0, ...options } as EmulatorOptions);
}

/** A client for the emulator; `apiKey` defaults to the emulator's full-access key. */
export function emulatorClient(emulator: Emulator, options: Partial<BasetenClientOptions> = {}): BasetenClient {
  return new BasetenClient({
    apiKey: emulator.apiKey,
    endpoints: emulator.endpoints,
    retry: FAST_RETRY,
    random: () => 0.5,
    ...options,
  });
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `fn` and returns what it threw; fails when it did not throw. */
export async function caught<T = unknown>(fn: () => Promise<unknown>): Promise<T> {
  try {
    await fn();
  } catch (error) {
    return error as T;
  }
  throw new Error('Expected the call to fail, and it succeeded.');
}
