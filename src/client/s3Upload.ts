/**
 * One S3 PutObject with the STS credentials Baseten handed out, through AWS's own SDK (it signs with SigV4;
 * nothing here signs by hand). The SDK is loaded on the first upload, not with the extension.
 */
import { BasetenError } from './errors';
import type { UploadCredentials } from './modelUpload';

type S3Sdk = typeof import('@aws-sdk/client-s3');
let loadedSdk: S3Sdk | undefined;

function s3Sdk(): S3Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedSdk ??= require('@aws-sdk/client-s3') as S3Sdk);
}

export interface S3UploadRequest {
  bucket: string;
  key: string;
  region: string;
  credentials: UploadCredentials;
  /** Only for an S3-compatible stand-in (the emulator); AWS's endpoint for the region otherwise. */
  endpoint?: string;
  body: Uint8Array;
  signal?: AbortSignal;
}

export async function uploadToS3(request: S3UploadRequest): Promise<void> {
  const { S3Client, PutObjectCommand } = s3Sdk();
  const client = new S3Client({
    region: request.region,
    credentials: {
      accessKeyId: request.credentials.aws_access_key_id,
      secretAccessKey: request.credentials.aws_secret_access_key,
      sessionToken: request.credentials.aws_session_token,
    },
    ...(request.endpoint ? { endpoint: request.endpoint, forcePathStyle: true } : {}),
    // A whole-body SHA-256 in the signature is enough; no streamed trailer checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  try {
    await client.send(
      new PutObjectCommand({ Bucket: request.bucket, Key: request.key, Body: request.body, ContentType: 'application/gzip', ContentLength: request.body.byteLength }),
      { abortSignal: request.signal },
    );
  } catch (caught) {
    if (request.signal?.aborted) throw new BasetenError({ kind: 'aborted', message: 'The upload was cancelled.' });
    const error = caught as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = error.$metadata?.httpStatusCode;
    throw new BasetenError({
      kind: status ? 'http' : 'network',
      status,
      code: error.name,
      message: `Uploading the Truss archive to storage failed${status ? ` (HTTP ${status}, ${error.name})` : ''}: ${error.message ?? String(caught)}. Deploy again; the upload credentials are fresh each time.`,
    });
  } finally {
    client.destroy();
  }
}
