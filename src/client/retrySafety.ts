/**
 * Which failed requests may be sent again when sending twice could run the model twice (predict, run_remote,
 * chat, async submit). Idempotent calls (GETs, wake, status) keep the whole retry set of http.ts.
 * docs/baseten-api.md#errors-from-deployed-endpoints
 */
import type { BasetenError } from './errors';

/** Connection failures that happen before a byte of the request left this machine. */
const PRE_SEND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'connect_timeout']);

/**
 * True when the request cannot have reached the model: refused before sending, a 429, a 503 (no replica
 * took it; Truss's "model not ready" too), or Baseten's 500 for a parked request whose cold start outlasted
 * the parking timeout (`error_code: timeout`, not from the model's server). A 500 the model raised, a 502
 * (replica crashed mid-request), a 504 (predict timeout) or a connection reset after the body was sent may
 * come after the model ran: those are reported once.
 */
export function cannotHaveRun(error: BasetenError): boolean {
  if (error.kind === 'http') {
    if (error.status === 429 || error.status === 503) return true;
    // `fromModel`: Truss marked it as raised by the model's own server (`X-BASETEN-ERROR-SOURCE: 04`).
    return error.status === 500 && error.code === 'timeout' && !error.fromModel;
  }
  return (error.kind === 'network' || error.kind === 'timeout') && error.code !== undefined && PRE_SEND_CODES.has(error.code);
}
