/**
 * One management API call for the operate clients (metrics, promotion, autoscaling): the URL from path
 * segments and a query, the body as JSON, errors with area `management`.
 */
import type { HttpClient, HttpMethod, HttpRequest } from './http';
import { BasetenEndpoints, managementResourceUrl } from './urls';

export interface ManagementCallRequest {
  method: HttpMethod;
  segments: string[];
  /** Repeated keys for arrays (`metrics=a&metrics=b`); undefined values are left out. */
  query?: Record<string, string | number | readonly string[] | undefined>;
  json?: unknown;
  signal?: AbortSignal;
  retryWhen?: HttpRequest['retryWhen'];
}

export async function managementCall<T>(http: HttpClient, endpoints: BasetenEndpoints, request: ManagementCallRequest): Promise<T> {
  const url = managementResourceUrl(endpoints, ...request.segments) + queryString(request.query);
  const response = await http.send({
    method: request.method,
    url,
    area: 'management',
    signal: request.signal,
    retryWhen: request.retryWhen,
    ...(request.json !== undefined ? { json: request.json } : {}),
  });
  return response.json<T>(undefined, request.signal);
}

function queryString(query: ManagementCallRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
