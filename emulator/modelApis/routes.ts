/**
 * The Model APIs host (`inference.baseten.co/v1` → `{base}/inference/v1`): `GET /models` (the catalogue,
 * `{"data": […]}` with no `object`, as recorded) and `POST /chat/completions`. A bad key is the recorded
 * 403 `{"error":"please check the api-key you provided"}`.
 */
import { MODEL_APIS_BAD_KEY_BODY } from '../core/auth';
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { isRecord, parseJsonBody, sendJson, sendText } from '../core/exchange';
import type { ChatCore } from './chat';
import { chatErrorBody, sendChatError, serveChat } from './chat';

type ModelApisCore = Pick<EmulatorCore, 'state'> & ChatCore;

export async function serveModelApis(core: ModelApisCore, exchange: Exchange, rest: string[]): Promise<void> {
  const { res } = exchange;
  res.setHeader('X-Baseten-Accepted-At', String(exchange.acceptedAt));
  if (rest[0] !== 'v1') {
    sendText(exchange, 404, chatErrorBody('nested', 404, `Not found: ${exchange.path}. The Model APIs live under /v1.`), 'application/json');
    return;
  }
  if (!exchange.auth.ok) {
    sendText(exchange, 403, MODEL_APIS_BAD_KEY_BODY, 'application/json');
    return;
  }
  const route = rest.slice(1).join('/');
  if (route === 'models') {
    if (exchange.method !== 'GET') return sendChatError(exchange, 'nested', 405, 'Use GET /v1/models.', { Allow: 'GET' });
    sendJson(exchange, 200, { data: core.state.modelApis.map((api) => api.entry) });
    return;
  }
  if (route === 'chat/completions') {
    if (exchange.method !== 'POST') return sendChatError(exchange, 'nested', 405, 'Use POST /v1/chat/completions.', { Allow: 'POST' });
    const parsed = parseJsonBody(exchange);
    if (!parsed.ok || !isRecord(parsed.value)) {
      sendChatError(exchange, 'nested', 400, parsed.ok ? 'The request body must be a JSON object.' : parsed.message);
      return;
    }
    const body = parsed.value;
    if (typeof body.model !== 'string' || body.model === '') {
      sendChatError(exchange, 'nested', 400, 'Validation: `model` is required.');
      return;
    }
    const api = core.state.modelApis.find((candidate) => candidate.entry.id === body.model);
    if (!api || !api.enabled) {
      sendChatError(
        exchange,
        'nested',
        404,
        `Model "${body.model}" was not found or is not enabled in this workspace. Enable it on the Model APIs page of the Baseten dashboard, or list the available ones with GET /v1/models.`,
      );
      return;
    }
    await serveChat(core, exchange, api, body, api.entry.id);
    return;
  }
  sendChatError(exchange, 'nested', 404, `Not found: /v1/${route}. The Model APIs serve /v1/models and /v1/chat/completions.`);
}
