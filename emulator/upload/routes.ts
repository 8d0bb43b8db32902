/**
 * The upload flow of the management API (API reference §9.2): `prepare_model_upload` issues credentials for one
 * S3 key, `POST /v1/models` and `POST /v1/models/{id}/deployments` build a deployment from the archive uploaded
 * there. The build runs through the lifecycle (BUILDING → DEPLOYING → LOADING_MODEL → ACTIVE, or BUILD_FAILED).
 */
import { randomBytes } from 'node:crypto';
import { isRecord } from '../core/exchange';
import { newResourceId } from '../core/ids';
import type { Route } from '../core/router';
import type { ManagementContext, ManagementHandler } from '../management/context';
import { fail, objectBody, ok } from '../management/context';
import { deploymentView, modelView } from '../management/views';
import { autoscaling, deployment as newDeployment, promotionSettings } from '../state/seed';
import type { DeploymentState, ModelState } from '../state/state';
import { developmentDeployment, findModel } from '../state/state';
import { readArchive } from './archive';
import { buildFailure, trussSource } from './build';
import { PATCH_ROUTES } from './patchRoutes';
import { CREDENTIALS_TTL_MS, UPLOAD_BUCKET, UPLOAD_REGION, objectKey, uploadStore } from './store';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(): string {
  return `ASIA${Array.from(randomBytes(16), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;
}

interface ArchivePayload {
  config: Record<string, unknown>;
  isDevelopment: boolean;
  deploymentName?: string;
  environmentName?: string;
  labels: Record<string, unknown> | null;
}

function archivePayload(context: ManagementContext, value: unknown): ArchivePayload | undefined {
  if (!isRecord(value) || !isRecord(value.config)) {
    fail(context, 400, 'deployment.config is required: the parsed config.yaml of the Truss.');
    return undefined;
  }
  const text = (field: unknown): string | undefined => (typeof field === 'string' && field.trim() ? field.trim() : undefined);
  return {
    config: value.config,
    isDevelopment: value.is_development === true,
    deploymentName: text(value.deployment_name),
    environmentName: text(value.environment_name),
    labels: isRecord(value.labels) ? value.labels : null,
  };
}

function prepare(context: ManagementContext): void {
  const body = objectBody(context);
  if (!body) return;
  if (!archivePayload(context, body.deployment)) return;
  const { state } = context.core;
  if (typeof body.model_id === 'string') {
    if (!findModel(state, body.model_id)) return fail(context, 404, `Model ${body.model_id} was not found.`);
  } else if (typeof body.name === 'string' && body.name.trim()) {
    if (state.models.some((model) => model.name === body.name)) return fail(context, 400, `A model named "${body.name}" already exists; push to it with its model_id.`);
  } else {
    return fail(context, 400, 'Give the new model a name, or the model_id of an existing model.');
  }
  const credentials = {
    accessKeyId: accessKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(48).toString('base64'),
    bucket: UPLOAD_BUCKET,
    key: `models/${newResourceId(10)}/truss.tgz`,
    expiresAt: Date.now() + CREDENTIALS_TTL_MS,
  };
  uploadStore(state).credentials.set(credentials.accessKeyId, credentials);
  ok(context, {
    creds: { aws_access_key_id: credentials.accessKeyId, aws_secret_access_key: credentials.secretAccessKey, aws_session_token: credentials.sessionToken },
    s3_bucket: credentials.bucket,
    s3_key: credentials.key,
    s3_region: UPLOAD_REGION,
  });
}

function instanceTypeFor(context: ManagementContext, config: Record<string, unknown>): string {
  const resources = isRecord(config.resources) ? config.resources : {};
  const gpu = typeof resources.accelerator === 'string' ? resources.accelerator.split(':')[0] : undefined;
  const types = context.core.state.instanceTypes;
  return (gpu && types.find((type) => type.gpu_type === gpu)?.id) || types[0].id;
}

/** Starts building `deployment` from the archive at `s3Key`; promotes it once ACTIVE when asked to. */
function build(context: ManagementContext, model: ModelState, deployment: DeploymentState, archive: Buffer, environmentName: string | undefined): void {
  const { lifecycle, state } = context.core;
  const store = uploadStore(state);
  lifecycle.setStatus(deployment, 'BUILDING');
  lifecycle.log(deployment, 'Truss archive received');
  readArchive(archive).then(
    (files) => {
      store.sources.set(deployment, trussSource(files));
      const failure = buildFailure(files);
      if (environmentName && failure === undefined) {
        const stop = lifecycle.onStatus((changed) => {
          if (changed !== deployment || deployment.status !== 'ACTIVE') return;
          stop();
          const environment = model.environments.find((candidate) => candidate.name === environmentName);
          if (environment) {
            environment.currentDeploymentId = deployment.id;
            lifecycle.log(deployment, `Promoted to ${environmentName}`);
          }
        });
      }
      lifecycle.build(deployment, failure);
    },
    (error: Error) => lifecycle.build(deployment, `the archive could not be read: ${error.message}`),
  );
}

function archiveAt(context: ManagementContext, s3Key: unknown): Buffer | undefined {
  const archive = typeof s3Key === 'string' ? uploadStore(context.core.state).objects.get(objectKey(UPLOAD_BUCKET, s3Key)) : undefined;
  if (!archive) fail(context, 400, `No archive was uploaded at s3_key ${JSON.stringify(s3Key)}; call prepare_model_upload and upload the archive first.`);
  return archive;
}

function addDeployment(context: ManagementContext, model: ModelState, payload: ArchivePayload, archive: Buffer): void {
  const now = Date.now();
  let target = payload.isDevelopment ? developmentDeployment(model) : undefined;
  if (!target) {
    const number = model.deployments.filter((candidate) => !candidate.isDevelopment).length + 1;
    target = newDeployment(
      {
        id: newResourceId(7),
        name: payload.isDevelopment ? 'development' : payload.deploymentName ?? `deployment-${number}`,
        createdAt: new Date(now).toISOString(),
        status: 'BUILDING',
        isDevelopment: payload.isDevelopment,
        instanceTypeName: instanceTypeFor(context, payload.config),
        autoscaling: autoscaling(0, 1),
      },
      now,
    );
    target.logs = [];
    model.deployments.push(target);
  }
  target.instanceTypeName = instanceTypeFor(context, payload.config);
  target.labels = payload.labels;
  if (payload.environmentName && !model.environments.some((environment) => environment.name === payload.environmentName)) {
    return fail(context, 400, `Environment "${payload.environmentName}" of model ${model.id} was not found.`);
  }
  build(context, model, target, archive, payload.isDevelopment ? undefined : payload.environmentName);
  ok(context, { model: modelView(model), deployment: deploymentView(model, target) });
}

function createModel(context: ManagementContext): void {
  const body = objectBody(context);
  if (!body) return;
  const source = body.source;
  if (!isRecord(source) || source.kind !== 'model_archive') return fail(context, 400, 'source must be {"kind": "model_archive", "name", "deployment", "s3_key"}.');
  if (typeof source.name !== 'string' || !source.name.trim()) return fail(context, 400, 'source.name is required.');
  const payload = archivePayload(context, source.deployment);
  if (!payload) return;
  const { state } = context.core;
  if (state.models.some((model) => model.name === source.name)) return fail(context, 400, `A model named "${source.name}" already exists; create a deployment of it instead.`);
  const archive = archiveAt(context, source.s3_key);
  if (!archive) return;
  const createdAt = new Date().toISOString();
  const instanceType = state.instanceTypes.find((type) => type.id === instanceTypeFor(context, payload.config)) ?? state.instanceTypes[0];
  const model: ModelState = {
    id: newResourceId(8),
    name: source.name.trim(),
    createdAt,
    teamName: state.team.name,
    instanceTypeName: instanceType.id,
    behaviour: 'echo',
    deployments: [],
    environments: [{ name: 'production', createdAt, currentDeploymentId: null, autoscalingSettings: autoscaling(0, 1), promotionSettings: promotionSettings(), instanceType: structuredClone(instanceType) }],
  };
  state.models.push(model);
  addDeployment(context, model, payload, archive);
}

function createDeployment(context: ManagementContext): void {
  const model = findModel(context.core.state, context.params.model);
  if (!model) return fail(context, 404, `Model ${context.params.model} was not found.`);
  const body = objectBody(context);
  if (!body) return;
  const source = body.source;
  if (!isRecord(source) || source.kind !== 'model_archive') return fail(context, 400, 'source must be {"kind": "model_archive", "deployment", "s3_key"}.');
  const payload = archivePayload(context, source.deployment);
  if (!payload) return;
  const archive = archiveAt(context, source.s3_key);
  if (archive) addDeployment(context, model, payload, archive);
}

export const UPLOAD_ROUTES: Route<ManagementHandler>[] = [
  { method: 'POST', pattern: 'prepare_model_upload', handler: prepare },
  { method: 'POST', pattern: 'models', handler: createModel },
  { method: 'POST', pattern: 'models/:model/deployments', handler: createDeployment },
  ...PATCH_ROUTES,
];
