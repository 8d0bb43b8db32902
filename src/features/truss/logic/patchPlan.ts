/**
 * What Watch sends: the difference between the deployment's newest patch point and the files on disk, as
 * Baseten's patch operations. Model code (under model_module_dir) and bundled packages are patched file by file;
 * config.yaml is patched when only its requirements, environment variables or metadata changed; anything else
 * (resources, the base image, data files…) needs a full deploy, and the plan says which file asked for it.
 */
import { yamlModule } from './lazyModules';
import type { PatchOp, PatchPoint, PatchPointWithHash } from '../../../client/patches';

export interface LocalTruss {
  hashes: Record<string, string>;
  contents: ReadonlyMap<string, Buffer>;
  configText: string;
  config: Record<string, unknown>;
  requirements: string[];
}

export type PatchPlan = { next: PatchPoint; ops: PatchOp[] } | { needsFullDeploy: string } | undefined;

const CONFIG_FILE = 'config.yaml';
/** config.yaml settings a running development deployment can take without a rebuild. */
const PATCHABLE_CONFIG_KEYS = new Set(['requirements', 'environment_variables', 'model_metadata', 'description']);

function folderSetting(config: Record<string, unknown>, key: string, fallback: string): string {
  const value = config[key];
  return `${typeof value === 'string' && value.trim() ? value.trim().replace(/\/+$/, '') : fallback}/`;
}

/** Text when the bytes are UTF-8, base64 otherwise (the op's `content` or `content_bytes`). */
function fileContent(bytes: Buffer | undefined): { content?: string; content_bytes?: string } {
  if (!bytes) return {};
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { content: text } : { content_bytes: bytes.toString('base64') };
}

function parsedConfig(text: string): Record<string, unknown> {
  try {
    const value = yamlModule().parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, String(v)]));
}

function configOps(base: PatchPointWithHash, local: LocalTruss): PatchOp[] | string {
  const before = parsedConfig(base.config);
  const changed = [...new Set([...Object.keys(before), ...Object.keys(local.config)])].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(local.config[key]));
  const blocking = changed.filter((key) => !PATCHABLE_CONFIG_KEYS.has(key));
  if (blocking.length > 0) return `config.yaml changed ${blocking.join(', ')}, which only a full deploy applies`;
  const ops: PatchOp[] = [{ type: 'config', config: local.config, path: CONFIG_FILE }];
  const oldRequirements = new Set(base.requirements ?? []);
  const newRequirements = new Set(local.requirements);
  for (const requirement of local.requirements) if (!oldRequirements.has(requirement)) ops.push({ type: 'python_requirement', action: 'ADD', requirement });
  for (const requirement of oldRequirements) if (!newRequirements.has(requirement)) ops.push({ type: 'python_requirement', action: 'REMOVE', requirement });
  const oldEnv = stringMap(before.environment_variables);
  const newEnv = stringMap(local.config.environment_variables);
  for (const [name, value] of Object.entries(newEnv)) {
    if (!(name in oldEnv)) ops.push({ type: 'environment_variable', action: 'ADD', name, value });
    else if (oldEnv[name] !== value) ops.push({ type: 'environment_variable', action: 'UPDATE', name, value });
  }
  for (const name of Object.keys(oldEnv)) if (!(name in newEnv)) ops.push({ type: 'environment_variable', action: 'REMOVE', name });
  return ops;
}

export function planPatch(base: PatchPointWithHash, local: LocalTruss): PatchPlan {
  const modelDir = folderSetting(local.config, 'model_module_dir', 'model');
  const packagesDir = folderSetting(local.config, 'bundled_packages_dir', 'packages');
  const paths = [...new Set([...Object.keys(base.content_hashes), ...Object.keys(local.hashes)])].sort();
  const ops: PatchOp[] = [];
  for (const path of paths) {
    const before = base.content_hashes[path] ?? undefined;
    const after = local.hashes[path];
    if (before === after) continue;
    const action = before === undefined ? 'ADD' : after === undefined ? 'REMOVE' : 'UPDATE';
    if (path === CONFIG_FILE) {
      const planned = configOps(base, local);
      if (typeof planned === 'string') return { needsFullDeploy: planned };
      ops.push(...planned);
    } else if (path.startsWith(modelDir)) {
      ops.push({ type: 'model_code', action, path: path.slice(modelDir.length), ...(action === 'REMOVE' ? {} : fileContent(local.contents.get(path))) });
    } else if (path.startsWith(packagesDir)) {
      ops.push({ type: 'package', action, path: path.slice(packagesDir.length), ...(action === 'REMOVE' ? {} : fileContent(local.contents.get(path))) });
    } else {
      return { needsFullDeploy: `${path} changed; only model code, bundled packages and config.yaml requirements or environment variables are patched live` };
    }
  }
  if (ops.length === 0) return undefined;
  return { next: { content_hashes: { ...local.hashes }, config: local.configText, requirements: [...local.requirements] }, ops };
}
