/**
 * Why the management API refused a key. Baseten answers a missing or invalid key with 401 everywhere (Model
 * APIs were also seen answering 403 to a bad key), and an invoke-only workspace key is refused by the
 * management API alone (docs/baseten-api.md#key-kinds-and-refusals). So a management 403 means "invoke-only",
 * and a management 401 is told apart by asking the inference side whether it takes the same key.
 */
import { BasetenError } from './errors';

export type KeyRefusal = 'invoke-only' | 'rejected';

/** True for the 401/403 with which Baseten refuses a key. */
export function isAuthRefusal(error: unknown): error is BasetenError {
  return error instanceof BasetenError && error.kind === 'http' && (error.status === 401 || error.status === 403);
}

/**
 * undefined when `managementError` is no refusal of the key (an outage, a 404…: the caller reports it
 * as it is). `probe` is a cheap inference-side call with the same key (e.g. Model APIs' /v1/models); it
 * is made only for a 401.
 */
export async function classifyKeyRefusal(managementError: unknown, probe: () => Promise<unknown>): Promise<KeyRefusal | undefined> {
  if (!isAuthRefusal(managementError)) return undefined;
  if (managementError.status === 403) return 'invoke-only';
  try {
    await probe();
    return 'invoke-only';
  } catch (error) {
    if (error instanceof BasetenError && error.kind === 'aborted') throw error;
    // Refused there too: the key itself is wrong. Anything else (unreachable, an outage) proves nothing
    // about the key, and a 401 is what Baseten answers a bad key with.
    return 'rejected';
  }
}
