import * as path from 'node:path';
import * as vscode from 'vscode';
import { BasetenError, DeploymentStatusError, describeDeploymentStatus } from '../../client';
import type { DeploymentArchivePayload, UploadDestination } from '../../client';
import type { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { failureLogs, showFailure } from '../../platform/failureNotice';
import type { FailureLogs } from '../../platform/failureNotice';
import type { BasetenServices } from '../../platform/services';
import { statusPollMs } from '../../platform/settings';
import { ConfigDiagnostics } from './configDiagnostics';
import { buildArchive } from './logic/archive';
import { MAX_PROJECT_BYTES, listProjectFiles } from './logic/projectFiles';
import type { TrussProject } from './logic/projects';
import { hasErrors } from './logic/trussConfig';
import { DeployRecord, TrussProjects } from './projectStore';

export interface TrussContext {
  services: BasetenServices;
  catalog: DeploymentCatalog;
  projects: TrussProjects;
  diagnostics: ConfigDiagnostics;
}

export type DeployMode = { kind: 'development' } | { kind: 'publish'; environment?: string };

export interface DeployOutcome {
  outcome: 'active' | 'failed' | 'invalid' | 'cancelled' | 'error';
  message: string;
  record?: DeployRecord;
  buttons?: string[];
  /** A failed build's logs, which *Show Build Logs* opens. */
  logs?: FailureLogs;
}

const STEP_TEXT = { prepare: 'Asking Baseten where to upload…', upload: 'Uploading the Truss…', create: 'Creating the deployment…' } as const;
const DEPLOY_TIMEOUT_MS = 60 * 60 * 1000;

function formatKiB(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function targetWords(mode: DeployMode): string {
  if (mode.kind === 'development') return 'development';
  return mode.environment ? `a new deployment for ${mode.environment}` : 'a new published deployment';
}

/** Truss deploys what is on disk: the project's unsaved files are saved first. */
async function saveProjectFiles(project: TrussProject): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file' && document.uri.fsPath.startsWith(project.root + path.sep)) await document.save();
  }
}

/** Checks config.yaml; on errors shows them in the file and says so, without sending anything. */
export async function checkConfig(context: TrussContext, project: TrussProject): Promise<{ ok: true; config: Record<string, unknown>; text: string } | { ok: false; outcome: DeployOutcome }> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(project.configPath));
  const read = context.diagnostics.check(document);
  if (!hasErrors(read.issues)) return { ok: true, config: read.config, text: document.getText() };
  const errors = read.issues.filter((issue) => issue.severity === 'error');
  const message = `config.yaml of ${project.name} has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`} to fix before it can be deployed: ${errors[0].message}`;
  void Promise.resolve(vscode.window.showErrorMessage(message, 'Show Problem')).then(async (choice) => {
    if (choice !== 'Show Problem') return;
    const range = new vscode.Range(document.positionAt(errors[0].start), document.positionAt(errors[0].end));
    await vscode.window.showTextDocument(document, { selection: range });
  });
  return { ok: false, outcome: { outcome: 'invalid', message, buttons: ['Show Problem'] } };
}

/** The model on Baseten this project deploys to: the one it deployed to before, else the one with its name. */
async function destinationOf(context: TrussContext, project: TrussProject, signal: AbortSignal): Promise<UploadDestination> {
  const models = await context.services.client.management.listModels({ signal });
  const previous = context.projects.record(project);
  const known = (previous && models.find((model) => model.id === previous.modelId && model.name === project.name)) ?? models.find((model) => model.name === project.name);
  return known ? { kind: 'existing', modelId: known.id } : { kind: 'new', name: project.name };
}

export async function deployProject(context: TrussContext, project: TrussProject, mode: DeployMode): Promise<DeployOutcome> {
  await saveProjectFiles(project);
  const checked = await checkConfig(context, project);
  if (!checked.ok) return checked.outcome;
  const { services, projects } = context;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deploying ${project.name} to ${targetWords(mode)}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      const signal = controller.signal;
      let record: DeployRecord | undefined;
      try {
        progress.report({ message: 'Packaging the Truss…' });
        const files = await listProjectFiles(project.root);
        const total = files.reduce((sum, file) => sum + file.bytes, 0);
        if (total > MAX_PROJECT_BYTES) {
          const message = `${project.name} is ${formatKiB(total)}, more than a Truss upload should carry (${formatKiB(MAX_PROJECT_BYTES)}). Keep weights out of the folder (list them in .truss_ignore and load them in load()).`;
          void vscode.window.showErrorMessage(message);
          return { outcome: 'invalid', message };
        }
        const archive = await buildArchive(project.root, files);
        const destination = await destinationOf(context, project, signal);
        const payload: DeploymentArchivePayload = {
          config: checked.config,
          raw_config: checked.text,
          is_development: mode.kind === 'development',
          ...(mode.kind === 'publish' && mode.environment ? { environment_name: mode.environment } : {}),
        };
        const created = await services.client.uploads.push(destination, payload, archive, {
          signal,
          onStep: (step) => progress.report({ message: step === 'upload' ? `Uploading the Truss (${files.length} files, ${formatKiB(archive.length)})…` : STEP_TEXT[step] }),
        });
        record = {
          modelId: created.model.id,
          modelName: created.model.name,
          deploymentId: created.deployment.id,
          kind: mode.kind === 'development' ? 'development' : 'published',
          at: new Date().toISOString(),
          status: created.deployment.status,
          ...(mode.kind === 'publish' && mode.environment ? { environment: mode.environment } : {}),
        };
        await projects.saveRecord(project, record);
        context.catalog.refresh({ owners: 'model' });
        const active = await services.client.management.waitForDeploymentStatus(created.model.id, created.deployment.id, {
          until: (deployment) => deployment.status === 'ACTIVE',
          intervalMs: statusPollMs(),
          timeoutMs: DEPLOY_TIMEOUT_MS,
          signal,
          onStatus: (deployment) => {
            progress.report({ message: `${describeDeploymentStatus(deployment.status)}…` });
            if (record && deployment.status !== record.status) {
              record = { ...record, status: deployment.status };
              void projects.saveRecord(project, record);
            }
          },
        });
        record = { ...record, status: active.status };
        await projects.saveRecord(project, record);
        context.catalog.refresh({ owner: { kind: 'model', id: record.modelId, name: record.modelName } });
        return announceActive(project, mode, record);
      } catch (error) {
        return await deployFailed(context, project, error, record);
      } finally {
        cancel.dispose();
      }
    },
  );
}

function announceActive(project: TrussProject, mode: DeployMode, record: DeployRecord): DeployOutcome {
  const where = mode.kind === 'development' ? 'development' : mode.environment ? `${mode.environment} (a new published deployment)` : 'a new published deployment';
  const message = `${project.name} is Active on ${where}.`;
  const buttons = mode.kind === 'development' ? ['Predict', 'Start Watching'] : [];
  void Promise.resolve(vscode.window.showInformationMessage(message, ...buttons)).then((choice) => {
    if (choice === 'Predict') void vscode.commands.executeCommand('baseten.truss.predict', vscode.Uri.file(project.modelPath));
    if (choice === 'Start Watching') void vscode.commands.executeCommand('baseten.truss.startWatch', vscode.Uri.file(project.root));
  });
  return { outcome: 'active', message, record, buttons };
}

async function deployFailed(context: TrussContext, project: TrussProject, error: unknown, record: DeployRecord | undefined): Promise<DeployOutcome> {
  if (error instanceof BasetenError && error.kind === 'aborted') {
    const message = record
      ? `Stopped following ${project.name}; its deployment keeps building on Baseten (see the Truss Projects view).`
      : `The deploy of ${project.name} was cancelled before anything was created.`;
    void vscode.window.showInformationMessage(message);
    return { outcome: 'cancelled', message, record };
  }
  if (error instanceof DeploymentStatusError && record) {
    const status = describeDeploymentStatus(error.deployment.status);
    const failed: DeployRecord = { ...record, status: error.deployment.status };
    await context.projects.saveRecord(project, failed);
    const message = `${project.name} did not come up: ${status}. Its build logs say why.`;
    // The deployment's logs from its deploy on (Show Logs starts a little before the given time).
    const logs = failureLogs({ owner: { kind: 'model', id: record.modelId, name: record.modelName }, target: { kind: 'deployment', id: record.deploymentId } }, error, { deploymentId: record.deploymentId, atMs: Date.parse(record.at) });
    void Promise.resolve(vscode.window.showErrorMessage(message, 'Show Build Logs', 'Open config.yaml')).then((choice) => {
      if (choice === 'Show Build Logs') void vscode.commands.executeCommand('baseten.showLogs', logs);
      if (choice === 'Open config.yaml') void vscode.window.showTextDocument(vscode.Uri.file(project.configPath));
    });
    return { outcome: 'failed', message, record: failed, buttons: ['Show Build Logs', 'Open config.yaml'], logs };
  }
  const shown = showFailure(context.services.log, `Deploy ${project.name}`, error);
  return { outcome: 'error', message: shown.message, record, buttons: shown.buttons };
}
