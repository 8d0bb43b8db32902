// Placeholder: WebSocket sessions (being written).
import { HttpClient } from './http';
import { BasetenEndpoints, Invocable, Target } from './urls';

export interface WebSocketSessionOptions {
  signal?: AbortSignal;
}

export class WebSocketSession {}

export async function openWebSocketSession(
  _http: HttpClient,
  _endpoints: BasetenEndpoints,
  _on: Invocable,
  _target: Target,
  _options: WebSocketSessionOptions,
): Promise<WebSocketSession> {
  throw new Error('not yet');
}
