import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BasetenTestApi } from '../../src/extension';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import type { LogsPanel } from '../../src/features/logs/logsPanel';
import type { DeployOutcome } from '../../src/features/truss/deploy';
import type { TrussProject } from '../../src/features/truss/logic/projects';
import type { ProjectNode } from '../../src/features/truss/projectsTree';
import type { SyncResult } from '../../src/features/truss/watch';
import { emulatorControl, emulatorKeys, emulatorStats, emulatorUrl, extensionApi, hasBrowser, pressInUi, screenshot, textsInUi, waitFor } from './harness';

function trussFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'hello-truss', ...segments);
}

/** The project's row as the Truss Projects view would show it now. */
async function projectRow(api: BasetenTestApi, project: TrussProject): Promise<ProjectNode | undefined> {
  const roots = (await api.truss.tree.getChildren()) as Array<ProjectNode | { project?: undefined }>;
  return roots.find((node): node is ProjectNode => node.project?.root === project.root);
}

async function countRequests(pattern: RegExp): Promise<number> {
  return (await emulatorStats()).requests.filter((request) => pattern.test(request.path)).length;
}

/** Replaces text in an open document through the editor (as typing would) and saves it. */
async function editAndSave(document: vscode.TextDocument, from: string, to: string): Promise<void> {
  const start = document.getText().indexOf(from);
  assert.ok(start >= 0, `"${from}" is in ${document.fileName}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(start + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
  // A save can be refused while the workbench is still busy with the previous one; the disk is what counts.
  await waitFor(async () => (await document.save()) || Buffer.from(await vscode.workspace.fs.readFile(document.uri)).toString('utf8') === document.getText(), 5000, `${document.fileName} to be saved`);
}

async function responseText(outcome: PredictOutcome | undefined): Promise<string> {
  assert.equal(outcome?.outcome, 'ok', outcome?.message);
  assert.ok(outcome.uri, 'a response document');
  return (await vscode.workspace.openTextDocument(vscode.Uri.parse(outcome.uri))).getText();
}

/** Opens model.py with the docstring's example request selected, and runs the CodeLens above `def predict`. */
async function predictThroughCodeLens(): Promise<PredictOutcome | undefined> {
  const document = await vscode.workspace.openTextDocument(trussFile('model', 'model.py'));
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
  const example = '{"name": "Ada"}';
  const at = document.getText().indexOf(example);
  editor.selection = new vscode.Selection(document.positionAt(at), document.positionAt(at + example.length));
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
  const lens = lenses.find((candidate) => candidate.command?.command === 'baseten.truss.predict');
  assert.ok(lens?.command, `a Predict CodeLens in model.py (found: ${lenses.map((l) => l.command?.title).join(', ')})`);
  assert.equal(document.lineAt(lens.range.start.line).text.trim().startsWith('def predict('), true, 'the lens sits above def predict');
  return vscode.commands.executeCommand<PredictOutcome>(lens.command.command, ...(lens.command.arguments ?? []));
}

describe('Truss dev loop', function () {
  this.timeout(120_000);
  let api: BasetenTestApi;
  let project: TrussProject;

  before(async () => {
    await emulatorControl('POST', 'reset');
    api = await extensionApi();
    const projects = await api.truss.context.projects.projects();
    const found = projects.find((candidate) => candidate.name === 'hello-truss');
    assert.ok(found, `the workspace's Truss project is found (found: ${projects.map((p) => p.name).join(', ')})`);
    project = found;
    await vscode.commands.executeCommand('baseten.trussProjects.focus');
  });

  after(async () => {
    api.truss.watcher.stop(project);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    // The suites after this one start from the seed.
    await emulatorControl('POST', 'reset');
  });

  it('a broken config.yaml shows diagnostics in the file and deploying it sends nothing', async () => {
    const uri = trussFile('config.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      await editAndSave(document, 'use_gpu: false', 'use_gpu: true\n  accelerator: H900');
      await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => d.message.includes('Unknown accelerator')), 10_000, 'the accelerator diagnostic');
      const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.message.includes('Unknown accelerator'))!;
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(document.getText(diagnostic.range), 'H900');
      const before = await countRequests(/prepare_model_upload|^\/s3\//);
      const outcome = await vscode.commands.executeCommand<DeployOutcome>('baseten.truss.deployDevelopment', vscode.Uri.file(project.root));
      assert.equal(outcome?.outcome, 'invalid');
      assert.match(outcome.message, /config\.yaml of hello-truss has a problem to fix before it can be deployed: Unknown accelerator "H900"/);
      assert.equal(await countRequests(/prepare_model_upload|^\/s3\//), before, 'nothing was uploaded');
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await screenshot('truss-config-diagnostics');
    } finally {
      await editAndSave(document, 'use_gpu: true\n  accelerator: H900', 'use_gpu: false');
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }
    await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error), 10_000, 'the diagnostics to clear');
  });

  it('Deploy to Development builds over time to Active in the tree, and the CodeLens answers a predict', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const statuses = new Set<string>();
    const seen = api.truss.context.projects.onDidChange(() => {
      const status = api.truss.context.projects.record(project)?.status;
      if (status) statuses.add(status);
    });
    let settled: DeployOutcome | undefined;
    const deploying = Promise.resolve(vscode.commands.executeCommand<DeployOutcome>('baseten.truss.deployDevelopment', vscode.Uri.file(project.root))).then((outcome) => (settled = outcome));
    await waitFor(() => !!settled || statuses.has('BUILDING') || statuses.has('DEPLOYING') || statuses.has('LOADING_MODEL'), 30_000, 'a build status in the tree');
    assert.ok(!settled || settled.outcome === 'active', `the deploy ended early: ${settled?.outcome}: ${settled?.message}`);
    assert.match(String((await projectRow(api, project))?.description), /^development · (Building|Deploying|Loading model)/);
    if (hasBrowser()) await waitFor(async () => (await textsInUi('.monaco-list-row')).some((text) => /development · Building/.test(text)), 5000, 'the view to show Building');
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('truss-deploying');
    await vscode.commands.executeCommand('notifications.hideList');
    const outcome = await deploying;
    seen.dispose();
    assert.equal(outcome?.outcome, 'active', outcome?.message);
    assert.equal(outcome.message, 'hello-truss is Active on development.');
    assert.ok(statuses.has('BUILDING'), [...statuses].join());
    assert.equal((await projectRow(api, project))?.description, 'development · Active');
    assert.equal(await countRequests(/^\/s3\//), 1, 'one archive upload');

    const text = await responseText(await predictThroughCodeLens());
    assert.match(text, /"greeting": "Hello, Ada!"/);
    await screenshot('truss-codelens-predict');
  });

  it('with Watch on, an edit to model.py changes the answer without a full deploy', async () => {
    const uploads = await countRequests(/prepare_model_upload$/);
    const started = await vscode.commands.executeCommand<SyncResult>('baseten.truss.startWatch', trussFile('model', 'model.py'));
    assert.equal(started?.outcome, 'unchanged', started?.message);
    const session = api.truss.watcher.session(project);
    assert.ok(session);
    const syncs = session.syncs;
    const document = await vscode.workspace.openTextDocument(trussFile('model', 'model.py'));
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      await editAndSave(document, 'f"Hello, ', 'f"Howdy, ');
      await waitFor(() => session.syncs > syncs && session.last?.outcome === 'applied', 20_000, 'Watch to patch the saved change');
      const text = await responseText(await predictThroughCodeLens());
      assert.match(text, /"greeting": "Howdy, Ada!"/);
      assert.equal(await countRequests(/prepare_model_upload$/), uploads, 'no new upload: a patch, not a deploy');
      assert.ok((await countRequests(/\/patches$/)) >= 1);
      await vscode.commands.executeCommand('baseten.trussProjects.focus');
      await screenshot('truss-watch');
    } finally {
      api.truss.watcher.stop(project);
      await editAndSave(document, 'f"Howdy, ', 'f"Hello, ');
    }
  });

  it('Watch falls back to a full deploy when a change cannot be patched (config.yaml resources)', async () => {
    const uploads = await countRequests(/prepare_model_upload$/);
    await vscode.commands.executeCommand<SyncResult>('baseten.truss.startWatch', vscode.Uri.file(project.root));
    const session = api.truss.watcher.session(project)!;
    const document = await vscode.workspace.openTextDocument(trussFile('config.yaml'));
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      await editAndSave(document, 'cpu: "1"', 'cpu: "2"');
      await waitFor(() => session.last?.outcome === 'redeployed' || session.last?.outcome === 'error', 60_000, 'Watch to redeploy').catch((error: Error) => {
        throw new Error(`${error.message}; Watch is ${session.state} (${session.detail}) after ${session.syncs} rounds, the last ${JSON.stringify(session.last)}`);
      });
      assert.equal(session.last?.outcome, 'redeployed', session.last?.message);
      assert.equal(await countRequests(/prepare_model_upload$/), uploads + 1, 'one full deploy');
      assert.equal(api.truss.context.projects.record(project)?.status, 'ACTIVE');
    } finally {
      api.truss.watcher.stop(project);
      await editAndSave(document, 'cpu: "2"', 'cpu: "1"');
    }
  });

  it('Publish and Promote makes a new deployment that serves production once Active', async function () {
    if (!hasBrowser()) this.skip();
    const publishing = vscode.commands.executeCommand<DeployOutcome>('baseten.truss.publishAndPromote', vscode.Uri.file(project.root));
    await waitFor(async () => (await textsInUi('.quick-input-widget .quick-input-list .monaco-list-row')).some((text) => text.includes('production')), 10_000, 'the environment pick');
    await screenshot('truss-publish-pick');
    await pressInUi('Enter');
    const outcome = await publishing;
    assert.equal(outcome?.outcome, 'active', outcome?.message);
    assert.equal(outcome.message, 'hello-truss is Active on production (a new published deployment).');
    const models = (await (await fetch(`${emulatorUrl()}/management/v1/models`, { headers: { authorization: `Bearer ${emulatorKeys().apiKey}` } })).json()) as { models: Array<{ name: string; production_deployment_id: string | null }> };
    assert.equal(models.models.find((model) => model.name === 'hello-truss')?.production_deployment_id, outcome.record?.deploymentId);
  });

  it('a Chain in the workspace is listed, and its CodeLens runs run_remote on its development deployment', async () => {
    const chains = await api.truss.context.projects.chains();
    assert.deepEqual(chains.map((chain) => [chain.name, chain.className]), [['pipeline', 'Pipeline']]);
    const uri = vscode.Uri.file(chains[0].file);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    const example = '{"text": "A long story about a short trip."}';
    const at = document.getText().indexOf(example);
    editor.selection = new vscode.Selection(document.positionAt(at), document.positionAt(at + example.length));
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const lens = lenses.find((candidate) => candidate.command?.command === 'baseten.truss.predict');
    assert.ok(lens?.command);
    assert.equal(lens.command.title, '$(play) Run on development');
    assert.match(document.lineAt(lens.range.start.line).text, /async def run_remote\(self, text: str\)/, 'above the entrypoint\'s run_remote, not the other chainlet\'s');
    const text = await responseText(await vscode.commands.executeCommand<PredictOutcome>(lens.command.command, ...(lens.command.arguments ?? [])));
    assert.match(text, /"output": \{\s*"text": "A long story about a short trip."/);
    assert.ok((await countRequests(/^\/chain-[^/]+\/development\/run_remote$/)) >= 1);
  });

  it('the key never appears on a command line, in a task definition or in the workspace', async () => {
    const { apiKey } = emulatorKeys();
    for (const terminal of vscode.window.terminals) {
      assert.ok(!JSON.stringify(terminal.creationOptions).includes(apiKey), `terminal ${terminal.name} does not carry the key`);
    }
    const tasks = await vscode.tasks.fetchTasks();
    for (const task of tasks) assert.ok(!JSON.stringify({ definition: task.definition, execution: task.execution }).includes(apiKey), `task ${task.name} does not carry the key`);
    assert.equal(vscode.tasks.taskExecutions.length, 0, 'no task was run to deploy or watch');
    assert.ok(!process.argv.join(' ').includes(apiKey), "the extension host's command line does not carry the key");

    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const leaks: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if ((await fs.readFile(full)).includes(apiKey)) leaks.push(path.relative(folder, full));
      }
    };
    await walk(folder);
    assert.deepEqual(leaks, [], 'no file in the workspace holds the key');

    const uploads = (await emulatorStats()).requests.filter((request) => request.path.startsWith('/s3/'));
    assert.ok(uploads.length > 0, 'the archive was uploaded');
    for (const upload of uploads) assert.match(upload.headers.authorization ?? '', /^AWS4-HMAC-SHA256 /, 'S3 got the STS signature, not the Baseten key');
  });

  it('a build that fails says so and offers its build logs', async () => {
    const document = await vscode.workspace.openTextDocument(trussFile('config.yaml'));
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      await vscode.commands.executeCommand('notifications.clearAll');
      // Valid for the editor (a known GPU), impossible for Baseten: no instance type has 16 H100s.
      await editAndSave(document, 'use_gpu: false', 'use_gpu: true\n  accelerator: H100:16');
      const outcome = await vscode.commands.executeCommand<DeployOutcome>('baseten.truss.deployDevelopment', vscode.Uri.file(project.root));
      assert.equal(outcome?.outcome, 'failed', outcome?.message);
      assert.equal(outcome.message, 'hello-truss did not come up: Build failed. Its build logs say why.');
      assert.deepEqual(outcome.buttons, ['Show Build Logs', 'Open config.yaml']);
      // Show Build Logs opens the deployment's logs in the editor, where the build's reason is.
      const logs = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', outcome.logs);
      try {
        await waitFor(() => !logs.state.loading && logs.buffer.lines.some((line) => line.level === 'ERROR' && line.message.startsWith('Build failed:')), 15_000, 'the build failure in the logs');
      } finally {
        logs.dispose();
      }
      assert.equal((await projectRow(api, project))?.description, 'development · Build failed');
      if (hasBrowser()) await waitFor(async () => (await textsInUi('.monaco-list-row')).some((text) => text.includes('development · Build failed')), 10_000, 'the view to show the failed build');
      await vscode.commands.executeCommand('notifications.showList');
      await screenshot('truss-build-failed');
      await vscode.commands.executeCommand('notifications.hideList');
    } finally {
      await editAndSave(document, 'use_gpu: true\n  accelerator: H100:16', 'use_gpu: false');
    }
  });
});
