import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readArchive } from '../../emulator/upload/archive';
import { runTrussPredict } from '../../emulator/upload/trussPredict';
import type { PatchPointWithHash } from '../../src/client';
import { buildArchive } from '../../src/features/truss/logic/archive';
import { findChainEntrypoint } from '../../src/features/truss/logic/chains';
import { blake3Hex, hashProjectFiles } from '../../src/features/truss/logic/contentHashes';
import { planPatch, LocalTruss } from '../../src/features/truss/logic/patchPlan';
import { listProjectFiles } from '../../src/features/truss/logic/projectFiles';
import { hasErrors, readTrussConfig } from '../../src/features/truss/logic/trussConfig';

export const TRUSS_FIXTURE = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'truss', 'hello-truss');

/** A copy of the fixture Truss in a temporary folder, with files the ignore rules must leave out. */
export async function trussCopy(): Promise<string> {
  const root = await fs.mkdtemp(path.join(tmpdir(), 'truss-'));
  await fs.cp(TRUSS_FIXTURE, root, { recursive: true });
  for (const junk of ['model/__pycache__/model.cpython-311.pyc', '.git/HEAD', 'scratch/notes.txt', 'venv/bin/python', 'model/old.pyc']) {
    await fs.mkdir(path.dirname(path.join(root, junk)), { recursive: true });
    await fs.writeFile(path.join(root, junk), 'junk');
  }
  return root;
}

describe('Truss projects: config.yaml checks', () => {
  it('the fixture config has no problems', () => {
    const read = readTrussConfig(readFileSync(path.join(TRUSS_FIXTURE, 'config.yaml'), 'utf8'));
    assert.deepEqual(read.issues, []);
    assert.equal(read.modelName, 'hello-truss');
  });

  it('an unknown accelerator is an error on its value, with the known ones named', () => {
    const text = 'model_name: x\nresources:\n  accelerator: H900:2\n';
    const read = readTrussConfig(text);
    assert.ok(hasErrors(read.issues));
    const issue = read.issues.find((candidate) => candidate.message.includes('Unknown accelerator'));
    assert.ok(issue, JSON.stringify(read.issues));
    assert.equal(text.slice(issue.start, issue.end), 'H900:2');
    assert.match(issue.message, /A10G/);
  });

  it('broken YAML is an error at its place, and nothing else is checked', () => {
    const read = readTrussConfig('model_name: x\nresources: [\n');
    assert.equal(read.issues.length > 0, true);
    assert.match(read.issues[0].message, /^YAML:/);
    assert.deepEqual(read.config, {});
  });

  it('unknown settings and a missing model_name are warnings, not errors', () => {
    const read = readTrussConfig('python_version: py311\nmodel_nmae: typo\n');
    assert.equal(hasErrors(read.issues), false);
    assert.ok(read.issues.some((issue) => issue.message.includes('model_nmae')));
    assert.ok(read.issues.some((issue) => issue.message.includes('model_name is missing')));
  });

  it('wrong types are errors: requirements not a list, memory not a size, bad python_version', () => {
    const read = readTrussConfig('model_name: x\nrequirements: numpy\npython_version: py27\nresources:\n  memory: lots\n');
    const messages = read.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.message);
    assert.equal(messages.length, 3, messages.join('\n'));
  });
});

describe('Truss projects: packaging and hashing', () => {
  it('lists files as Truss packages them: default ignores and .truss_ignore applied', async () => {
    const root = await trussCopy();
    const files = (await listProjectFiles(root)).map((file) => file.path);
    assert.deepEqual(files, ['.truss_ignore', 'config.yaml', 'model/__init__.py', 'model/model.py']);
  });

  it('the archive holds exactly those files at its root', async () => {
    const root = await trussCopy();
    const files = await listProjectFiles(root);
    const archive = await buildArchive(root, files);
    const read = await readArchive(archive);
    assert.deepEqual([...read.keys()].sort(), files.map((file) => file.path));
    assert.equal(read.get('model/model.py')?.toString('utf8'), await fs.readFile(path.join(root, 'model/model.py'), 'utf8'));
  });

  it('content hashes are blake3 hex of the bytes (the official test vector for "abc")', async () => {
    assert.equal(blake3Hex(Buffer.from('abc')), '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85');
    const root = await trussCopy();
    const hashed = await hashProjectFiles(root, await listProjectFiles(root));
    assert.equal(hashed.hashes['config.yaml'], blake3Hex(await fs.readFile(path.join(root, 'config.yaml'))));
  });
});

describe('Truss projects: what Watch patches', () => {
  const base = (hashes: Record<string, string>, config = 'model_name: x\n', requirements: string[] = []): PatchPointWithHash => ({ content_hashes: hashes, config, requirements, hash: 'h0' });
  const local = (files: Record<string, string>, configText = 'model_name: x\n'): LocalTruss => {
    const read = readTrussConfig(configText);
    const contents = new Map(Object.entries(files).map(([name, text]) => [name, Buffer.from(text)]));
    contents.set('config.yaml', Buffer.from(configText));
    const hashes = Object.fromEntries([...contents].map(([name, bytes]) => [name, blake3Hex(bytes)]));
    return { hashes, contents, configText, config: read.config, requirements: read.requirements };
  };

  it('nothing changed: no patch', () => {
    const now = local({ 'model/model.py': 'a' });
    assert.equal(planPatch(base(now.hashes), now), undefined);
  });

  it('a changed, an added and a removed model file become model_code ops relative to the model folder', () => {
    const before = local({ 'model/model.py': 'a', 'model/old.py': 'o' });
    const now = local({ 'model/model.py': 'b', 'model/new.py': 'n' });
    const plan = planPatch(base(before.hashes), now);
    assert.ok(plan && 'ops' in plan);
    assert.deepEqual(
      plan.ops.map((op) => [op.type, 'action' in op ? op.action : '', 'path' in op ? op.path : '']),
      [['model_code', 'UPDATE', 'model.py'], ['model_code', 'ADD', 'new.py'], ['model_code', 'REMOVE', 'old.py']],
    );
    assert.deepEqual(plan.next.content_hashes, now.hashes);
  });

  it('a new requirement patches config and adds a python_requirement', () => {
    const before = local({}, 'model_name: x\n');
    const now = local({}, 'model_name: x\nrequirements:\n  - numpy==2.1.0\n');
    const plan = planPatch(base(before.hashes, before.configText), now);
    assert.ok(plan && 'ops' in plan);
    assert.deepEqual(plan.ops.map((op) => op.type), ['config', 'python_requirement']);
  });

  it('a resources change, or a data file, needs a full deploy and says why', () => {
    const before = local({}, 'model_name: x\n');
    const gpu = planPatch(base(before.hashes, before.configText), local({}, 'model_name: x\nresources:\n  accelerator: L4\n'));
    assert.ok(gpu && 'needsFullDeploy' in gpu);
    assert.match(gpu.needsFullDeploy, /resources/);
    const data = planPatch(base(before.hashes, before.configText), local({ 'data/weights.bin': 'w' }));
    assert.ok(data && 'needsFullDeploy' in data);
    assert.match(data.needsFullDeploy, /data\/weights\.bin/);
  });
});

describe('Emulator: running an uploaded model.py', () => {
  const model = (body: string): string => `class Model:\n    def predict(self, model_input):\n        ${body}\n`;

  it('evaluates literals, f-strings, subscripts and .get on the input', () => {
    assert.deepEqual(runTrussPredict(model('return {"greeting": f"Hello, {model_input[\'name\']}!"}'), { name: 'Ada' }), { ok: true, output: { greeting: 'Hello, Ada!' } });
    assert.deepEqual(runTrussPredict(model("return [1, 2.5, True, None, 'x']"), null), { ok: true, output: [1, 2.5, true, null, 'x'] });
    assert.deepEqual(runTrussPredict(model('return model_input.get("n", 3)'), {}), { ok: true, output: 3 });
    assert.deepEqual(runTrussPredict(model('return model_input'), { a: 1 }), { ok: true, output: { a: 1 } });
  });

  it('a multi-line return is read whole', () => {
    const source = 'class Model:\n    def predict(self, x):\n        return {\n            "a": x["v"],\n        }\n';
    assert.deepEqual(runTrussPredict(source, { v: 2 }), { ok: true, output: { a: 2 } });
  });

  it('what it cannot run, or a missing key, is the model\'s error naming the cause', () => {
    const unknown = runTrussPredict(model('return len(model_input)'), {});
    assert.equal(unknown.ok, false);
    assert.match(!unknown.ok ? unknown.message : '', /unknown name "len"/);
    const missing = runTrussPredict(model('return model_input["name"]'), {});
    assert.match(!missing.ok ? missing.message : '', /KeyError: 'name'/);
    assert.match((runTrussPredict('x = 1\n', {}) as { message: string }).message, /no class Model/);
  });
});

describe('Chains in the workspace', () => {
  it('finds the entrypoint, its name (given or the class name) and the line of its run_remote', () => {
    const source = readFileSync(path.join(TRUSS_FIXTURE, '..', 'pipeline-chain', 'chain.py'), 'utf8');
    const found = findChainEntrypoint(source);
    assert.equal(found?.name, 'pipeline');
    assert.equal(found?.className, 'Pipeline');
    assert.match(source.split('\n')[found!.runRemoteLine!], /async def run_remote\(self, text: str\)/);
    assert.equal(findChainEntrypoint('@chains.mark_entrypoint\nclass Hello(chains.ChainletBase):\n    def run_remote(self) -> str:\n        return "hi"\n')?.name, 'Hello');
  });

  it('a file without an entrypoint is no Chain', () => {
    assert.equal(findChainEntrypoint('class Summarizer(chains.ChainletBase):\n    def run_remote(self): ...\n'), undefined);
  });
});
