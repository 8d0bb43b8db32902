/**
 * What the upload flow remembers, per workspace state (a reset starts empty): the STS-style credentials
 * `prepare_model_upload` issued and the S3 key each may write, the objects uploaded to the S3 stand-in, and
 * each Truss deployment's files and patch points.
 */
import type { DeploymentState, EmulatorState } from '../state/state';

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  bucket: string;
  key: string;
  expiresAt: number;
}

export interface PatchPointState {
  contentHashes: Record<string, string | null>;
  config: string;
  requirements: string[];
  hash: string;
}

/** A deployment built from an uploaded Truss: the files it runs, and the patches waiting for sync. */
export interface TrussSource {
  files: Map<string, Buffer>;
  running: PatchPointState;
  pending?: { point: PatchPointState; files: Map<string, Buffer>; needsFullDeploy?: string };
}

export interface UploadStore {
  credentials: Map<string, IssuedCredentials>;
  objects: Map<string, Buffer>;
  sources: WeakMap<DeploymentState, TrussSource>;
}

const stores = new WeakMap<EmulatorState, UploadStore>();

export function uploadStore(state: EmulatorState): UploadStore {
  let store = stores.get(state);
  if (!store) {
    store = { credentials: new Map(), objects: new Map(), sources: new WeakMap() };
    stores.set(state, store);
  }
  return store;
}

export const UPLOAD_BUCKET = 'baseten-emulator-uploads';
export const UPLOAD_REGION = 'us-west-2';
export const CREDENTIALS_TTL_MS = 60 * 60 * 1000;

export function objectKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}
