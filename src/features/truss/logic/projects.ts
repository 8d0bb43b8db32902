/**
 * A Truss project on disk: a folder with config.yaml and the model class file it names (model/model.py by
 * default). Its Baseten name is config.yaml's model_name, else the folder's name, as `truss push` does.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readTrussConfig } from './trussConfig';
import type { TrussConfig } from './trussConfig';

export interface TrussProject {
  /** The folder holding config.yaml. */
  root: string;
  /** The model's name on Baseten. */
  name: string;
  configPath: string;
  /** The model class file (model/model.py unless config.yaml says otherwise). */
  modelPath: string;
}

export function modelFileOf(config: Record<string, unknown>): string {
  const dir = typeof config.model_module_dir === 'string' && config.model_module_dir.trim() ? config.model_module_dir.trim().replace(/\/+$/, '') : 'model';
  const file = typeof config.model_class_filename === 'string' && config.model_class_filename.trim() ? config.model_class_filename.trim() : 'model.py';
  return `${dir}/${file}`;
}

export function projectName(read: Pick<TrussConfig, 'modelName'>, root: string): string {
  return read.modelName ?? path.basename(root);
}

/** The project whose config.yaml this is, or undefined when the folder is no Truss (no model class file). */
export async function readProject(configPath: string): Promise<TrussProject | undefined> {
  const root = path.dirname(configPath);
  let text: string;
  try {
    text = await fs.readFile(configPath, 'utf8');
  } catch {
    return undefined;
  }
  const read = readTrussConfig(text);
  const modelPath = path.join(root, ...modelFileOf(read.config).split('/'));
  try {
    if (!(await fs.stat(modelPath)).isFile()) return undefined;
  } catch {
    // A config.yaml whose model file is missing may still be a Truss being written: look for the default folder.
    if (!/^\s*model_name\s*:/m.test(text)) return undefined;
  }
  return { root, name: projectName(read, root), configPath, modelPath };
}

/** The zero-based line of each `def predict(` in a model file, for the CodeLens. */
export function predictLines(source: string): number[] {
  const lines: number[] = [];
  source.split(/\r?\n/).forEach((line, index) => {
    if (/^\s+(async\s+)?def\s+predict\s*\(/.test(line)) lines.push(index);
  });
  return lines;
}
