/**
 * Reads and checks a Truss `config.yaml` before anything is uploaded: YAML syntax, then the settings Baseten
 * builds from (model_name, resources, python_version, requirements…). Each problem carries the offsets of the
 * text it is about, so the editor can underline it; errors block a deploy, warnings do not.
 */
import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlModule } from './lazyModules';

const isScalar = (node: unknown): node is Scalar => yamlModule().isScalar(node);
const isMap = (node: unknown): node is YAMLMap => yamlModule().isMap(node);
const isSeq = (node: unknown): node is YAMLSeq => yamlModule().isSeq(node);

export interface ConfigIssue {
  severity: 'error' | 'warning';
  message: string;
  /** Offsets in the file's text. */
  start: number;
  end: number;
}

export interface TrussConfig {
  /** The parsed config (an empty object when it is not a mapping). */
  config: Record<string, unknown>;
  issues: ConfigIssue[];
  modelName?: string;
  requirements: string[];
}

/** Baseten's GPU types (resources.accelerator, optionally `:count`). */
export const KNOWN_ACCELERATORS = ['T4', 'L4', 'A10G', 'V100', 'A100', 'A100_40GB', 'H100', 'H100_40GB', 'H200', 'B200'] as const;
export const PYTHON_VERSIONS = ['py39', 'py310', 'py311', 'py312', 'py313'] as const;

const KNOWN_KEYS = new Set([
  'apply_library_patches', 'base_image', 'build', 'build_commands', 'bundled_packages_dir', 'cache_internal', 'data_dir', 'description',
  'docker_auth', 'docker_server', 'environment_variables', 'examples_filename', 'external_data', 'external_package_dirs', 'input_type',
  'live_reload', 'model_cache', 'model_class_filename', 'model_class_name', 'model_framework', 'model_metadata', 'model_module_dir',
  'model_name', 'model_type', 'python_version', 'requirements', 'requirements_file', 'resources', 'runtime', 'secrets', 'spec_version',
  'system_packages', 'training_checkpoints', 'trt_llm', 'use_local_src',
]);
const RESOURCE_KEYS = new Set(['accelerator', 'cpu', 'memory', 'use_gpu', 'instance_type', 'node_count']);

function rangeOf(node: Node | null | undefined, fallback: [number, number]): [number, number] {
  const range = node?.range;
  return range ? [range[0], Math.max(range[1], range[0] + 1)] : fallback;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node> | undefined {
  return map.items.find((item) => isScalar(item.key) && item.key.value === key) as Pair<Node, Node> | undefined;
}

class Checker {
  readonly issues: ConfigIssue[] = [];
  constructor(private readonly whole: [number, number]) {}

  add(severity: ConfigIssue['severity'], node: Node | null | undefined, message: string): void {
    const [start, end] = rangeOf(node, this.whole);
    this.issues.push({ severity, message, start, end });
  }
}

function scalarText(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : undefined;
}

function checkResources(checker: Checker, node: Node | null | undefined): void {
  if (!isMap(node)) return checker.add('error', node, 'resources must be a mapping (accelerator, cpu, memory, use_gpu).');
  for (const item of node.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!RESOURCE_KEYS.has(key)) checker.add('warning', item.key as Node, `Unknown resources setting "${key}"; Baseten ignores it. Known: ${[...RESOURCE_KEYS].join(', ')}.`);
  }
  const accelerator = pairOf(node, 'accelerator');
  if (accelerator && !(isScalar(accelerator.value) && accelerator.value.value === null)) {
    const text = scalarText(accelerator.value);
    const match = text === undefined ? null : /^([A-Za-z0-9_]+)(?::(\d+))?$/.exec(text);
    if (!match || !(KNOWN_ACCELERATORS as readonly string[]).includes(match[1])) {
      checker.add('error', accelerator.value, `Unknown accelerator "${text ?? ''}". Use one of ${KNOWN_ACCELERATORS.join(', ')}, optionally with a count (e.g. "A10G:2").`);
    } else if (match[2] !== undefined && Number(match[2]) < 1) {
      checker.add('error', accelerator.value, 'The accelerator count must be at least 1 (e.g. "H100:2").');
    }
  }
  const memory = pairOf(node, 'memory');
  if (memory && !/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/.test(scalarText(memory.value) ?? '')) {
    checker.add('error', memory.value, `memory must be a size such as "2Gi" or "512Mi", not "${scalarText(memory.value) ?? ''}".`);
  }
  const cpu = pairOf(node, 'cpu');
  if (cpu && !/^\d+(\.\d+)?m?$/.test(scalarText(cpu.value) ?? '')) {
    checker.add('error', cpu.value, `cpu must be a number of cores such as "1" or "500m", not "${scalarText(cpu.value) ?? ''}".`);
  }
  const useGpu = pairOf(node, 'use_gpu');
  if (useGpu && !(isScalar(useGpu.value) && typeof useGpu.value.value === 'boolean')) checker.add('error', useGpu.value, 'use_gpu must be true or false.');
}

function checkTopLevel(checker: Checker, map: YAMLMap): { modelName?: string; requirements: string[] } {
  for (const item of map.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!KNOWN_KEYS.has(key)) checker.add('warning', item.key as Node, `Unknown Truss setting "${key}"; Baseten ignores it.`);
  }
  let modelName: string | undefined;
  const name = pairOf(map, 'model_name');
  if (!name) checker.add('warning', map.items[0]?.key as Node | undefined, 'model_name is missing: the model will be named after its folder. Add model_name to choose the name on Baseten.');
  else if (!isScalar(name.value) || typeof name.value.value !== 'string' || !name.value.value.trim()) checker.add('error', name.value ?? (name.key as Node), 'model_name must be a non-empty text.');
  else modelName = name.value.value.trim();

  const resources = pairOf(map, 'resources');
  if (resources) checkResources(checker, resources.value);

  const python = pairOf(map, 'python_version');
  if (python && !(PYTHON_VERSIONS as readonly string[]).includes(scalarText(python.value) ?? '')) {
    checker.add('error', python.value, `python_version must be one of ${PYTHON_VERSIONS.join(', ')}.`);
  }

  const requirements: string[] = [];
  const reqs = pairOf(map, 'requirements');
  if (reqs && !(isScalar(reqs.value) && reqs.value.value === null)) {
    if (!isSeq(reqs.value)) checker.add('error', reqs.value, 'requirements must be a list of pip requirements, e.g. - numpy==2.1.0');
    else
      for (const item of reqs.value.items) {
        const text = scalarText(item as Node);
        if (text === undefined || !text.trim()) checker.add('error', item as Node, 'Each requirement must be a pip requirement text.');
        else requirements.push(text.trim());
      }
  }
  for (const key of ['environment_variables', 'secrets', 'model_metadata']) {
    const pair = pairOf(map, key);
    if (pair && !isMap(pair.value) && !(isScalar(pair.value) && pair.value.value === null)) checker.add('error', pair.value, `${key} must be a mapping.`);
  }
  return { modelName, requirements };
}

/** Parses and checks config.yaml text. */
export function readTrussConfig(text: string): TrussConfig {
  const document: Document.Parsed = yamlModule().parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const whole: [number, number] = [0, Math.max(1, Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')))];
  const checker = new Checker(whole);
  for (const error of document.errors) {
    const [start, end] = error.pos;
    checker.issues.push({ severity: 'error', message: `YAML: ${error.message.split('\n')[0]}`, start, end: Math.max(end, start + 1) });
  }
  if (document.errors.length > 0) return { config: {}, issues: checker.issues, requirements: [] };
  const root = document.contents;
  if (!isMap(root)) {
    checker.add('error', root, 'config.yaml must be a mapping of Truss settings (model_name, resources, requirements…).');
    return { config: {}, issues: checker.issues, requirements: [] };
  }
  const { modelName, requirements } = checkTopLevel(checker, root);
  const config = (document.toJS() ?? {}) as Record<string, unknown>;
  return { config, issues: checker.issues, modelName, requirements };
}

export function hasErrors(issues: readonly ConfigIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
