import * as vscode from 'vscode';
import { DEVELOPMENT } from '../../client';
import { showFailure } from '../../platform/failureNotice';
import type { PredictController, PredictOutcome } from '../predict/predictRun';
import { DeployOutcome, TrussContext, deployProject } from './deploy';
import type { TrussProject } from './logic/projects';
import type { ChainProject } from './projectStore';
import { ProjectNode } from './projectsTree';
import type { SyncResult, TrussWatcher } from './watch';

/** What a Truss command is called with: a file or folder (CodeLens, notifications), a tree node, or nothing (palette). */
export type ProjectArgument = vscode.Uri | ProjectNode | undefined;

/** The project an argument names; from the palette, the active editor's project, else a pick. */
export async function resolveProject(context: TrussContext, argument: ProjectArgument, action: string): Promise<TrussProject | undefined> {
  if (argument instanceof ProjectNode) return argument.project;
  const uri = argument instanceof vscode.Uri ? argument : vscode.window.activeTextEditor?.document.uri;
  if (uri) {
    const project = await context.projects.projectOf(uri);
    if (project || argument instanceof vscode.Uri) return project;
  }
  const projects = await context.projects.projects();
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('No Truss project in this workspace: a Truss is a folder with config.yaml and model/model.py. Create one with `truss init`, then open its folder.');
    return undefined;
  }
  if (projects.length === 1) return projects[0];
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.name, description: vscode.workspace.asRelativePath(project.root), project })),
    { title: action, placeHolder: 'Choose a Truss project' },
  );
  return picked?.project;
}

/** The model and development deployment on Baseten for this project: from its last deploy, else by its name. */
export async function developmentOf(context: TrussContext, project: TrussProject): Promise<{ modelId: string; deploymentId: string } | undefined> {
  const management = context.services.client.management;
  const record = context.projects.record(project);
  if (record?.kind === 'development') return { modelId: record.modelId, deploymentId: record.deploymentId };
  const model = (await management.listModels()).find((candidate) => candidate.name === project.name);
  return model?.development_deployment_id ? { modelId: model.id, deploymentId: model.development_deployment_id } : undefined;
}

/** The development deployment, or undefined after saying why not (the lookup failed, or none yet: offer to deploy). */
async function requireDevelopment(context: TrussContext, project: TrussProject, what: string): Promise<{ modelId: string; deploymentId: string } | undefined> {
  let development: Awaited<ReturnType<typeof developmentOf>>;
  try {
    development = await developmentOf(context, project);
  } catch (error) {
    showFailure(context.services.log, `Find ${project.name} on Baseten`, error);
    return undefined;
  }
  if (development) return development;
  void Promise.resolve(vscode.window.showInformationMessage(`${project.name} has no development deployment yet; deploy it before ${what}.`, 'Deploy to Development')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('baseten.truss.deployDevelopment', vscode.Uri.file(project.root));
  });
  return undefined;
}

export async function deployCommand(context: TrussContext, argument: ProjectArgument, promote: boolean | 'development'): Promise<DeployOutcome | undefined> {
  const project = await resolveProject(context, argument, promote === 'development' ? 'Deploy to Development' : promote ? 'Publish and Promote' : 'Publish');
  if (!project) return undefined;
  if (promote === 'development') return deployProject(context, project, { kind: 'development' });
  if (!promote) return deployProject(context, project, { kind: 'publish' });
  const environment = await pickEnvironment(context, project);
  return environment ? deployProject(context, project, { kind: 'publish', environment }) : undefined;
}

async function pickEnvironment(context: TrussContext, project: TrussProject): Promise<string | undefined> {
  let names = ['production'];
  try {
    const model = (await context.services.client.management.listModels()).find((candidate) => candidate.name === project.name);
    if (model) names = (await context.services.client.management.listEnvironments(model.id)).map((environment) => environment.name);
  } catch (error) {
    showFailure(context.services.log, `List the environments of ${project.name}`, error);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: name === 'production' ? 'serves /production/predict' : undefined })),
    { title: `Publish ${project.name} and promote it to…`, placeHolder: 'The new deployment serves this environment once it is Active' },
  );
  return picked?.label;
}

const LAST_PAYLOAD_KEY = 'baseten.truss.lastPayload';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A saved request (.baseten/requests/) for this model or chain, by its ID or name. */
async function savedPayload(ownerId: string, name: string): Promise<unknown> {
  const files = (await vscode.workspace.findFiles('.baseten/requests/*.json', undefined, 200)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  for (const file of files) {
    const parsed = parseJson(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'));
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') continue;
    const saved = parsed.value as { owner?: { id?: unknown; name?: unknown }; payload?: unknown };
    if ((saved.owner?.id === ownerId || saved.owner?.name === name) && 'payload' in saved) return saved.payload;
  }
  return undefined;
}

/** The selection if it is JSON, else a saved request for the model, else what the user types (the last payload offered). */
async function predictPayload(state: vscode.Memento, project: Pick<TrussProject, 'root' | 'name'>, ownerId: string, title = `Predict on ${project.name} (development)`): Promise<{ payload: unknown } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? parseJson(editor.document.getText(editor.selection).trim()) : { ok: false as const };
  if (selected.ok) return { payload: selected.value };
  const saved = await savedPayload(ownerId, project.name);
  if (saved !== undefined) return { payload: saved };
  const last = state.get<Record<string, string>>(LAST_PAYLOAD_KEY, {})[project.root] ?? '{}';
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'The JSON request body. Tip: select JSON in the editor, or save a request in .baseten/requests/, to skip this.',
    value: last,
    validateInput: (value) => (parseJson(value).ok ? undefined : 'Not valid JSON yet.'),
  });
  if (typed === undefined) return undefined;
  await state.update(LAST_PAYLOAD_KEY, { ...state.get<Record<string, string>>(LAST_PAYLOAD_KEY, {}), [project.root]: typed });
  return { payload: JSON.parse(typed) as unknown };
}

/** run_remote on a Chain's development deployment, found on Baseten by the Chain's name. */
async function runChain(context: TrussContext, controller: PredictController, state: vscode.Memento, chain: ChainProject): Promise<PredictOutcome | undefined> {
  let found: { id: string; name: string } | undefined;
  try {
    found = (await context.services.client.management.listChains()).find((candidate) => candidate.name === chain.name);
  } catch (error) {
    showFailure(context.services.log, `Find the Chain ${chain.name} on Baseten`, error);
    return undefined;
  }
  if (!found) {
    void vscode.window.showInformationMessage(`The Chain ${chain.name} is not on Baseten yet: deploy it with \`truss chains push --watch\` (deploying Chains from the editor is not supported yet), then run it from here.`);
    return undefined;
  }
  const input = await predictPayload(state, { root: chain.file, name: chain.name }, found.id, `Run ${chain.name} (development)`);
  if (!input) return undefined;
  return controller.run({ owner: { kind: 'chain', id: found.id, name: found.name }, target: DEVELOPMENT, payload: input.payload });
}

export async function predictCommand(context: TrussContext, controller: PredictController, state: vscode.Memento, argument: ProjectArgument): Promise<PredictOutcome | undefined> {
  const chainUri = argument instanceof vscode.Uri ? argument : argument ? undefined : vscode.window.activeTextEditor?.document.uri;
  const chain = chainUri ? await context.projects.chainOf(chainUri) : undefined;
  if (chain) return runChain(context, controller, state, chain);
  const project = await resolveProject(context, argument, 'Predict on development');
  if (!project) return undefined;
  const development = await requireDevelopment(context, project, 'calling it');
  if (!development) return undefined;
  const input = await predictPayload(state, project, development.modelId);
  if (!input) return undefined;
  return controller.run({ owner: { kind: 'model', id: development.modelId, name: project.name }, target: DEVELOPMENT, payload: input.payload });
}

export async function startWatchCommand(context: TrussContext, watcher: TrussWatcher, argument: ProjectArgument): Promise<SyncResult | undefined> {
  const project = await resolveProject(context, argument, 'Watch');
  if (!project) return undefined;
  const development = await requireDevelopment(context, project, 'watching it');
  if (!development) return undefined;
  return watcher.start(project, development.modelId, development.deploymentId);
}

export async function stopWatchCommand(context: TrussContext, watcher: TrussWatcher, argument: ProjectArgument): Promise<boolean> {
  let project = argument ? await resolveProject(context, argument, 'Stop Watching') : undefined;
  if (!project) {
    const watched = watcher.watchedProjects();
    project = watched.length === 1 ? watched[0] : (await vscode.window.showQuickPick(watched.map((p) => ({ label: p.name, project: p })), { title: 'Stop watching' }))?.project;
  }
  return project ? watcher.stop(project) : false;
}
