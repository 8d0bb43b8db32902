/**
 * What the emulator's "image build" checks in an uploaded Truss, and the deployment it produces. A build fails,
 * as on Baseten, when config.yaml asks for something no instance type offers (an unknown accelerator, more than
 * eight GPUs), when config.yaml is not a mapping, or when the model class or its predict method is missing.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { blake3 } from '@noble/hashes/blake3.js';
import type { PatchPointState, TrussSource } from './store';
import { findPredict } from './trussPredict';

export const EMULATOR_ACCELERATORS = ['T4', 'L4', 'A10G', 'V100', 'A100', 'A100_40GB', 'H100', 'H100_40GB', 'H200', 'B200'];
const MAX_GPUS = 8;

export function blake3Hex(bytes: Uint8Array): string {
  return Buffer.from(blake3(bytes)).toString('hex');
}

export function parseConfig(text: string | undefined): Record<string, unknown> | string {
  if (text === undefined) return 'the archive has no config.yaml at its root';
  try {
    const value = parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return 'config.yaml is not a mapping of Truss settings';
    return value as Record<string, unknown>;
  } catch (error) {
    return `config.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
  }
}

export function modelFilePath(config: Record<string, unknown>): string {
  const dir = typeof config.model_module_dir === 'string' ? config.model_module_dir.replace(/\/+$/, '') : 'model';
  const file = typeof config.model_class_filename === 'string' ? config.model_class_filename : 'model.py';
  return `${dir}/${file}`;
}

export function modelClassName(config: Record<string, unknown>): string {
  return typeof config.model_class_name === 'string' ? config.model_class_name : 'Model';
}

function checkAccelerator(config: Record<string, unknown>): string | undefined {
  const resources = config.resources;
  if (!resources || typeof resources !== 'object') return undefined;
  const accelerator = (resources as Record<string, unknown>).accelerator;
  if (accelerator === undefined || accelerator === null) return undefined;
  const match = /^([A-Za-z0-9_]+)(?::(\d+))?$/.exec(String(accelerator));
  if (!match || !EMULATOR_ACCELERATORS.includes(match[1])) return `no instance type offers the accelerator "${String(accelerator)}" (resources.accelerator)`;
  if (Number(match[2] ?? 1) > MAX_GPUS) return `no instance type offers ${match[2]} ${match[1]} GPUs on one replica; the most is ${MAX_GPUS}`;
  return undefined;
}

/** Why this Truss cannot build, or undefined when it can. */
export function buildFailure(files: ReadonlyMap<string, Buffer>): string | undefined {
  const config = parseConfig(files.get('config.yaml')?.toString('utf8'));
  if (typeof config === 'string') return config;
  const accelerator = checkAccelerator(config);
  if (accelerator) return accelerator;
  const modelFile = modelFilePath(config);
  const source = files.get(modelFile);
  if (!source) return `the archive has no ${modelFile}`;
  const predict = findPredict(source.toString('utf8'), modelClassName(config));
  return typeof predict === 'string' ? predict : undefined;
}

export function requirementsOf(config: Record<string, unknown>): string[] {
  return Array.isArray(config.requirements) ? config.requirements.filter((item): item is string => typeof item === 'string') : [];
}

export function patchPoint(files: ReadonlyMap<string, Buffer>, configText: string, requirements: string[]): PatchPointState {
  const contentHashes: Record<string, string> = {};
  for (const path of [...files.keys()].sort()) contentHashes[path] = blake3Hex(files.get(path)!);
  const hash = createHash('sha256').update(JSON.stringify({ contentHashes, configText, requirements })).digest('hex');
  return { contentHashes, config: configText, requirements, hash };
}

export function trussSource(files: Map<string, Buffer>): TrussSource {
  const configText = files.get('config.yaml')?.toString('utf8') ?? '';
  const config = parseConfig(configText);
  return { files, running: patchPoint(files, configText, typeof config === 'string' ? [] : requirementsOf(config)) };
}
