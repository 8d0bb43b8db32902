/**
 * Live patches of a development deployment built from an upload (API reference §9.3). A patch is checked
 * strictly: its base must be the newest point (else 409), every file it carries must hash (blake3) to what
 * next_patch_point says, and the files after it must match next_patch_point's content_hashes exactly. Sync
 * applies the pending point, so the next predict runs the patched model.py; a change to config.yaml's
 * resources or base image is refused with `needs_full_deploy_reason`.
 */
import { isRecord } from '../core/exchange';
import type { Route } from '../core/router';
import type { ManagementContext, ManagementHandler } from '../management/context';
import { fail, objectBody, ok } from '../management/context';
import type { DeploymentState, ModelState } from '../state/state';
import { developmentDeployment, findModel } from '../state/state';
import { blake3Hex, parseConfig, patchPoint } from './build';
import type { PatchPointState, TrussSource } from './store';
import { uploadStore } from './store';

const NOT_READY = new Set(['BUILDING', 'DEPLOYING', 'LOADING_MODEL', 'WAKING_UP', 'UPDATING']);
const REBUILD_KEYS = ['resources', 'base_image', 'python_version', 'system_packages', 'docker_server', 'build_commands'];

function pointView(point: PatchPointState): Record<string, unknown> {
  return { content_hashes: { ...point.contentHashes }, config: point.config, requirements: [...point.requirements], hash: point.hash };
}

function withSource(context: ManagementContext, then: (model: ModelState, deployment: DeploymentState, source: TrussSource) => void): void {
  const model = findModel(context.core.state, context.params.model);
  if (!model) return fail(context, 404, `Model ${context.params.model} was not found.`);
  const key = context.params.deployment;
  const deployment = key === 'development' ? developmentDeployment(model) : model.deployments.find((candidate) => candidate.id === key);
  if (!deployment) return fail(context, 404, `Deployment ${key} of model ${model.id} was not found.`);
  if (!deployment.isDevelopment) return fail(context, 400, 'Only development deployments can be patched; publish a new deployment instead.');
  const source = uploadStore(context.core.state).sources.get(deployment);
  if (!source) return fail(context, 400, `Deployment ${deployment.id} has no Truss to patch yet; deploy it from a Truss first.`);
  then(model, deployment, source);
}

function opPath(config: Record<string, unknown>, type: string, path: string): string {
  const key = type === 'model_code' ? 'model_module_dir' : 'bundled_packages_dir';
  const fallback = type === 'model_code' ? 'model' : 'packages';
  const dir = typeof config[key] === 'string' ? String(config[key]).replace(/\/+$/, '') : fallback;
  return `${dir}/${path.replace(/^\/+/, '')}`;
}

function rebuildReason(before: string, after: string): string | undefined {
  const old = parseConfig(before);
  const next = parseConfig(after);
  if (typeof next === 'string') return next;
  if (typeof old === 'string') return undefined;
  const changed = REBUILD_KEYS.filter((key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]));
  return changed.length > 0 ? `config.yaml changed ${changed.join(', ')}; a new image must be built` : undefined;
}

/** Applies the ops to a copy of the base files; a message when one is invalid. */
function applyOps(base: Map<string, Buffer>, ops: unknown[], next: { hashes: Record<string, unknown>; config: string }): Map<string, Buffer> | string {
  const files = new Map(base);
  const config = parseConfig(next.config);
  const settings = typeof config === 'string' ? {} : config;
  for (const op of ops) {
    if (!isRecord(op) || typeof op.type !== 'string') return 'Each patch op must be an object with a "type".';
    if (op.type === 'config') {
      files.set('config.yaml', Buffer.from(next.config));
      continue;
    }
    if (op.type !== 'model_code' && op.type !== 'package') continue;
    if (typeof op.path !== 'string' || !op.path || op.path.split('/').includes('..')) return `A ${op.type} op needs a path inside the Truss.`;
    const path = opPath(settings, op.type, op.path);
    if (op.action === 'REMOVE') {
      files.delete(path);
      continue;
    }
    if (op.action !== 'ADD' && op.action !== 'UPDATE') return `Unknown action ${JSON.stringify(op.action)} on ${path}; use ADD, UPDATE or REMOVE.`;
    const bytes = typeof op.content === 'string' ? Buffer.from(op.content) : typeof op.content_bytes === 'string' ? Buffer.from(op.content_bytes, 'base64') : undefined;
    if (!bytes) return `The ${op.action} of ${path} carries no content or content_bytes.`;
    const declared = next.hashes[path];
    if (declared !== blake3Hex(bytes)) return `The content of ${path} does not hash to next_patch_point.content_hashes["${path}"] (blake3 hex of the file's bytes).`;
    files.set(path, bytes);
  }
  return files;
}

function createPatch(context: ManagementContext): void {
  withSource(context, (_model, deployment, source) => {
    const body = objectBody(context);
    if (!body) return;
    const next = body.next_patch_point;
    if (typeof body.prev_patch_hash !== 'string' || !isRecord(next) || !isRecord(next.content_hashes) || typeof next.config !== 'string' || !Array.isArray(body.patch_ops) || body.patch_ops.length === 0) {
      return fail(context, 400, 'Send prev_patch_hash, next_patch_point {content_hashes, config, requirements} and at least one patch op.');
    }
    const hashes = next.content_hashes as Record<string, unknown>;
    const base = source.pending ?? { point: source.running, files: source.files };
    if (body.prev_patch_hash !== base.point.hash) {
      return fail(context, 409, `The patch was computed against ${body.prev_patch_hash}, but the deployment is at ${base.point.hash}; read patches/state and compute it again.`);
    }
    const files = applyOps(base.files, body.patch_ops, { hashes, config: next.config });
    if (typeof files === 'string') return fail(context, 400, files);
    const requirements = Array.isArray(next.requirements) ? next.requirements.filter((item): item is string => typeof item === 'string') : [];
    const point = patchPoint(files, next.config, requirements);
    const mismatch = [...new Set([...Object.keys(point.contentHashes), ...Object.keys(hashes)])].find(
      (path) => (point.contentHashes[path] ?? null) !== (hashes[path] ?? null),
    );
    if (mismatch) return fail(context, 400, `next_patch_point.content_hashes does not match the files after this patch (first difference: ${mismatch}).`);
    source.pending = { point, files, needsFullDeploy: rebuildReason(source.running.config, next.config) };
    context.core.lifecycle.log(deployment, `Patch received: ${body.patch_ops.length} operation${body.patch_ops.length === 1 ? '' : 's'}`);
    ok(context, { patch_point: pointView(point) });
  });
}

function syncPatches(context: ManagementContext): void {
  withSource(context, (_model, deployment, source) => {
    if (NOT_READY.has(deployment.status)) return fail(context, 503, `Deployment ${deployment.id} is ${deployment.status}; patches apply once it is up. Retry shortly.`);
    const pending = source.pending;
    if (!pending) return ok(context, { needs_full_deploy_reason: null });
    source.pending = undefined;
    if (pending.needsFullDeploy) {
      context.core.lifecycle.log(deployment, `Patch not applied: ${pending.needsFullDeploy}`, 'WARNING');
      return ok(context, { needs_full_deploy_reason: pending.needsFullDeploy });
    }
    source.files = pending.files;
    source.running = pending.point;
    context.core.lifecycle.log(deployment, 'Patch applied; model reloaded');
    ok(context, { needs_full_deploy_reason: null });
  });
}

export const PATCH_ROUTES: Route<ManagementHandler>[] = [
  { method: 'GET', pattern: 'models/:model/deployments/:deployment/patches/state', handler: (c) => withSource(c, (_m, _d, source) => {
    ok(c, { running_patch_point: pointView(source.running), pending_patch_point: source.pending ? pointView(source.pending.point) : null });
  }) },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/patches', handler: createPatch },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/patches/sync', handler: syncPatches },
];
