/**
 * Pushing a Truss archive through the public REST API (API reference §9.2): `prepare_model_upload` hands out
 * short-lived STS credentials for one S3 key, the archive goes to S3 with those (never with the Baseten key),
 * then `POST /v1/models` (a new model) or `POST /v1/models/{id}/deployments` creates the deployment.
 */
import { BasetenError } from './errors';
import { HttpClient } from './http';
import { cannotHaveRun } from './retrySafety';
import { uploadToS3 } from './s3Upload';
import { BasetenEndpoints, managementResourceUrl } from './urls';
import type { DeploymentV1, ModelV1 } from './types';

/** `DeploymentArchivePayloadV1`. */
export interface DeploymentArchivePayload {
  /** config.yaml, parsed. */
  config: Record<string, unknown>;
  raw_config?: string | null;
  user_env?: Record<string, unknown> | null;
  /** Promote to this environment once active (publish only). */
  environment_name?: string | null;
  preserve_env_instance_type?: boolean;
  deploy_timeout_minutes?: number | null;
  deployment_name?: string | null;
  labels?: Record<string, unknown> | null;
  is_development?: boolean;
}

/** `AWSCredentialsV1`. */
export interface UploadCredentials {
  aws_access_key_id: string;
  aws_secret_access_key: string;
  aws_session_token: string;
}

/** `PrepareModelUploadResponseV1`. */
export interface PreparedUpload {
  creds: UploadCredentials | null;
  s3_bucket: string | null;
  s3_key: string | null;
  s3_region: string | null;
}

/** `CreatedModelDeploymentV1`. */
export interface CreatedModelDeployment {
  model: ModelV1;
  deployment: DeploymentV1;
}

export interface UploadCallOptions {
  signal?: AbortSignal;
}

/** Where this model's archive goes: a new model by name, or a new deployment of an existing one. */
export type UploadDestination = { kind: 'new'; name: string } | { kind: 'existing'; modelId: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The S3 endpoint for an upload. Real uploads go to AWS's own endpoint for `s3_region` (the SDK picks it);
 * only when the management API itself is on this machine (the emulator) does the upload go to its S3 stand-in
 * at `{origin}/s3`. The management host comes from user settings only, and the upload carries STS credentials,
 * never the Baseten key, so no workspace can redirect the key this way.
 */
export function s3EndpointFor(endpoints: Pick<BasetenEndpoints, 'managementBaseUrl'>): string | undefined {
  const url = new URL(endpoints.managementBaseUrl);
  return LOOPBACK.has(url.hostname) ? `${url.origin}/s3` : undefined;
}

export class ModelUploadClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  /** `POST /v1/prepare_model_upload`: credentials for one archive. */
  async prepare(destination: UploadDestination, deployment: DeploymentArchivePayload, options: UploadCallOptions = {}): Promise<Required<{ [K in keyof PreparedUpload]: NonNullable<PreparedUpload[K]> }>> {
    const body = { deployment, ...(destination.kind === 'new' ? { name: destination.name } : { model_id: destination.modelId }), dry_run: false };
    const prepared = await this.post<PreparedUpload>(['prepare_model_upload'], body, options);
    const { creds, s3_bucket, s3_key, s3_region } = prepared ?? ({} as PreparedUpload);
    if (!creds || !s3_bucket || !s3_key) {
      throw new BasetenError({ kind: 'protocol', area: 'management', message: 'Baseten did not hand out upload credentials (no creds, bucket or key in its answer).' });
    }
    return { creds, s3_bucket, s3_key, s3_region: s3_region ?? 'us-west-2' };
  }

  /** Puts the archive at the prepared key with the STS credentials. */
  async upload(prepared: Awaited<ReturnType<ModelUploadClient['prepare']>>, archive: Uint8Array, options: UploadCallOptions = {}): Promise<void> {
    await uploadToS3({
      bucket: prepared.s3_bucket,
      key: prepared.s3_key,
      region: prepared.s3_region,
      credentials: prepared.creds,
      endpoint: s3EndpointFor(this.endpoints()),
      body: archive,
      signal: options.signal,
    });
  }

  /** `POST /v1/models` (new) or `POST /v1/models/{id}/deployments` (existing): the archive becomes a deployment. */
  create(destination: UploadDestination, deployment: DeploymentArchivePayload, s3Key: string, options: UploadCallOptions = {}): Promise<CreatedModelDeployment> {
    if (destination.kind === 'new') {
      return this.post(['models'], { source: { kind: 'model_archive', name: destination.name, deployment, s3_key: s3Key } }, options);
    }
    return this.post(['models', destination.modelId, 'deployments'], { source: { kind: 'model_archive', deployment, s3_key: s3Key } }, options);
  }

  /** The three steps in order; `onStep` names each as it starts. */
  async push(
    destination: UploadDestination,
    deployment: DeploymentArchivePayload,
    archive: Uint8Array,
    options: UploadCallOptions & { onStep?: (step: 'prepare' | 'upload' | 'create') => void } = {},
  ): Promise<CreatedModelDeployment> {
    options.onStep?.('prepare');
    const prepared = await this.prepare(destination, deployment, options);
    options.onStep?.('upload');
    await this.upload(prepared, archive, options);
    options.onStep?.('create');
    return this.create(destination, deployment, prepared.s3_key, options);
  }

  private async post<T>(segments: string[], json: unknown, options: UploadCallOptions): Promise<T> {
    const url = managementResourceUrl(this.endpoints(), ...segments);
    // Creating twice would make two deployments: only failures that cannot have reached Baseten are retried.
    const response = await this.http.send({ method: 'POST', url, area: 'management', json, signal: options.signal, retryWhen: cannotHaveRun });
    return response.json<T>(undefined, options.signal);
  }
}
