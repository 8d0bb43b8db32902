/**
 * A cURL command for a request, with the key as `$BASETEN_API_KEY`: what is copied can be pasted into a
 * shell or a ticket without leaking the key.
 */
export interface CurlOptions {
  method?: string;
  authScheme?: 'Bearer' | 'Api-Key';
  /** A JSON body; omitted for GET. */
  json?: unknown;
  stream?: boolean;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(url: string, options: CurlOptions = {}): string {
  const method = options.method ?? (options.json === undefined ? 'GET' : 'POST');
  const lines = [`curl${options.stream ? ' --no-buffer' : ''} -X ${method} ${shellQuote(url)}`];
  lines.push(`-H "Authorization: ${options.authScheme ?? 'Bearer'} $BASETEN_API_KEY"`);
  if (options.json !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(options.json))}`);
  }
  return lines.join(' \\\n  ');
}
