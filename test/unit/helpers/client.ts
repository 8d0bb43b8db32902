/**
 * Starts the emulator on a free port and builds `BasetenClient`s pointed at it, with retry delays small
 * enough that a test exercising three attempts takes milliseconds; `useEmulatorClient` does both for a
 * `describe` and closes them after.
 */
import * as assert from 'node:assert/strict';
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

export interface EmulatorAndClient {
  emulator: Emulator;
  client: BasetenClient;
}

/** An emulator and a client for it; `close()` destroys the client, then closes the emulator. */
export async function startEmulatorClient(
  options: Partial<EmulatorOptions> = {},
  clientOptions: Partial<BasetenClientOptions> = {},
): Promise<EmulatorAndClient & { close(): Promise<void> }> {
  const emulator = await startTestEmulator(options);
  const client = emulatorClient(emulator, clientOptions);
  const close = async (): Promise<void> => {
    await client.destroy();
    await emulator.close();
  };
  return { emulator, client, close };
}

export interface UseEmulatorClientOptions {
  emulator?: Partial<EmulatorOptions>;
  client?: Partial<BasetenClientOptions>;
  /**
   * `test` (default): before each test the emulator is reset to its seed and a new client built, destroyed
   * after the test. `suite`: one client for all the tests, and no reset.
   */
  fresh?: 'test' | 'suite';
}

/**
 * Mocha hooks for the enclosing `describe`: one emulator for its tests, closed after them, and a client
 * for it. `use` is handed both each time the client is new, so the suite keeps them in its own variables:
 * `useEmulatorClient({ emulator: { tokenDelayMs: 1 } }, (current) => ({ emulator, client } = current));`
 */
export function useEmulatorClient(options: UseEmulatorClientOptions, use: (current: EmulatorAndClient) => void): void {
  if (options.fresh === 'suite') {
    let started: Awaited<ReturnType<typeof startEmulatorClient>> | undefined;
    before(async () => {
      started = await startEmulatorClient(options.emulator, options.client);
      use(started);
    });
    after(() => started?.close());
    return;
  }
  let emulator: Emulator | undefined;
  let client: BasetenClient | undefined;
  before(async () => {
    emulator = await startTestEmulator(options.emulator);
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    assert.ok(emulator, 'the emulator is started in before()');
    emulator.reset();
    client = emulatorClient(emulator, options.client);
    use({ emulator, client });
  });
  afterEach(async () => {
    await client?.destroy();
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
