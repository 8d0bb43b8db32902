/**
 * Checks an S3 request's AWS Signature Version 4 against the credentials the emulator issued: parses the
 * Authorization header, re-signs the same request with AWS's own signer (@smithy/signature-v4) and compares.
 * The session token must be the one issued with the key id, and the payload must match its declared SHA-256.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IssuedCredentials } from './store';

type Bytes = string | ArrayBuffer | ArrayBufferView;

function bytes(data: Bytes): string | Buffer {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The hash the signer is built with: Node's SHA-256, keyed (HMAC) when given a secret. */
class Sha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Bytes): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export type SignatureCheck = { ok: true; credentials: IssuedCredentials } | { ok: false; status: number; code: string; message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export async function checkSignature(
  request: { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer },
  lookup: (accessKeyId: string) => IssuedCredentials | undefined,
  now = Date.now(),
): Promise<SignatureCheck> {
  const authorization = header(request.headers, 'authorization') ?? '';
  const match = AUTH.exec(authorization.trim());
  if (!match) return { ok: false, status: 403, code: 'AccessDenied', message: 'Requests must be signed with AWS Signature Version 4 using the upload credentials.' };
  const [, accessKeyId, , region, signedHeaderList, signature] = match;
  const credentials = lookup(accessKeyId);
  if (!credentials) return { ok: false, status: 403, code: 'InvalidAccessKeyId', message: 'The AWS access key Id you provided does not exist in our records.' };
  if (credentials.expiresAt < now) return { ok: false, status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' };
  if (header(request.headers, 'x-amz-security-token') !== credentials.sessionToken) {
    return { ok: false, status: 403, code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' };
  }
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  const payloadHash = header(request.headers, 'x-amz-content-sha256') ?? '';
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    return { ok: false, status: 400, code: 'XAmzContentSHA256Mismatch', message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of signedHeaderList.split(';')) {
    const value = header(request.headers, name);
    if (value !== undefined) signedHeaders[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
    region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const query: Record<string, string> = {};
  for (const [key, value] of request.query) query[key] = value;
  const hostHeader = signedHeaders.host ?? '';
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Number.isNaN(signingDate.getTime())) return { ok: false, status: 403, code: 'AccessDenied', message: 'X-Amz-Date is missing or malformed.' };
  const expected = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: hostHeader.split(':')[0], port: Number(hostHeader.split(':')[1]) || undefined, path: request.path, query, headers: signedHeaders, body: request.body },
    { signingDate, signableHeaders: new Set(Object.keys(signedHeaders)), unsignableHeaders: new Set() },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? expected.headers.Authorization ?? ''))?.[1] ?? '';
  const same = expectedSignature.length === signature.length && timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature));
  if (!same) return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
  return { ok: true, credentials };
}
