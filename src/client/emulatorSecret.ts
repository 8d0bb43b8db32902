/**
 * The demo's stand-in for Baseten's Settings → Secrets: when the management API is our emulator on this
 * machine, a webhook secret created here is registered with it, so its deliveries verify at once.
 */
import type { BasetenEndpoints } from './urls';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const EMULATOR_MANAGEMENT_PATH = /\/management\/v1\/?$/;

/** `http://127.0.0.1:<port>/__emulator` when the management API is the emulator's; undefined otherwise. */
export function emulatorControlUrl(endpoints: Pick<BasetenEndpoints, 'managementBaseUrl'>): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoints.managementBaseUrl);
  } catch {
    return undefined;
  }
  if (!LOOPBACK.has(url.hostname) || !EMULATOR_MANAGEMENT_PATH.test(url.pathname)) return undefined;
  return `${url.origin}${url.pathname.replace(EMULATOR_MANAGEMENT_PATH, '')}/__emulator`;
}

/** Registers the secret with the emulator; false when there is no emulator or it did not take it. */
export async function registerEmulatorWebhookSecret(endpoints: Pick<BasetenEndpoints, 'managementBaseUrl'>, secret: string, signal = AbortSignal.timeout(5000)): Promise<boolean> {
  const control = emulatorControlUrl(endpoints);
  if (!control) return false;
  try {
    const response = await fetch(`${control}/webhook-secret`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret }), signal });
    return response.ok;
  } catch {
    return false;
  }
}
