/**
 * An S3-compatible stand-in at `/s3/{bucket}/{key}` (path style), enough for the upload flow: PutObject and
 * HeadObject. Every request must carry a valid SigV4 signature made with credentials that prepare_model_upload
 * issued, for the very key they were issued for; errors are S3's XML bodies. A Baseten API key is never valid here.
 */
import type { Exchange } from '../core/exchange';
import { sendEmpty, sendText } from '../core/exchange';
import type { EmulatorCore } from '../core/core';
import { checkSignature } from './sigv4';
import { objectKey, uploadStore } from './store';

function s3Error(exchange: Exchange, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${exchange.requestId}</RequestId></Error>`;
  sendText(exchange, status, xml, 'application/xml', { 'x-amz-request-id': exchange.requestId });
}

export async function serveS3(core: Pick<EmulatorCore, 'state'>, exchange: Exchange, rest: string[]): Promise<void> {
  const [bucket, ...keyParts] = rest.map((segment) => decodeURIComponent(segment));
  const key = keyParts.join('/');
  if (!bucket || !key) return s3Error(exchange, 400, 'InvalidRequest', 'Only object requests (/s3/{bucket}/{key}) are served.');
  const store = uploadStore(core.state);
  const check = await checkSignature(
    { method: exchange.method, path: exchange.path, query: exchange.query, headers: exchange.req.headers, body: exchange.body },
    (id) => store.credentials.get(id),
  );
  if (!check.ok) return s3Error(exchange, check.status, check.code, check.message);
  if (check.credentials.bucket !== bucket || check.credentials.key !== key) {
    return s3Error(exchange, 403, 'AccessDenied', 'These credentials may only write the key prepare_model_upload returned with them.');
  }
  if (exchange.method === 'PUT') {
    store.objects.set(objectKey(bucket, key), Buffer.from(exchange.body));
    return sendEmpty(exchange, 200, { ETag: `"${exchange.requestId}"`, 'x-amz-request-id': exchange.requestId });
  }
  if (exchange.method === 'HEAD') {
    const object = store.objects.get(objectKey(bucket, key));
    return sendEmpty(exchange, object ? 200 : 404);
  }
  s3Error(exchange, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}
