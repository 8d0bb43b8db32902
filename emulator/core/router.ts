/** A tiny path router for the management and control APIs: `models/:model/deployments/:deployment`. */

export type Params = Record<string, string>;

export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

export type RouteMatch<H> = { kind: 'found'; handler: H; params: Params } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

function matchPattern(pattern: string, segments: string[]): Params | undefined {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) params[parts[i].slice(1)] = segments[i];
    else if (parts[i] !== segments[i]) return undefined;
  }
  return params;
}

export function matchRoute<H>(routes: readonly Route<H>[], method: string, segments: string[]): RouteMatch<H> {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', handler: route.handler, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
}

/** Path segments after a prefix, URL-decoded; undefined when a segment is not valid percent-encoding. */
export function decodeSegments(segments: string[]): string[] | undefined {
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}
