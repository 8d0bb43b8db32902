import * as vscode from 'vscode';
import { AUTOSCALING_RANGES, autoscalingChanges, autoscalingErrors, autoscalingRange, autoscalingValueError, currentAutoscaling, describeAutoscaling, describeRange, targetLabel } from '../../client';
import type { AutoscalingField, AutoscalingSettingsV1, AutoscalingUpdateResult } from '../../client';
import type { CatalogTarget } from '../../catalog/targets';
import { showFailure } from '../../platform/failureNotice';
import { pickTarget } from '../../platform/targetPicker';
import { operateTokens } from '../explorer/logic/operateTokens';
import { TargetNode } from '../explorer/targetNode';
import { AutoscalingValues, FormRow, formRows } from './logic/autoscalingForm';
import { PromoteDeps, reload } from './promote';

export interface AutoscalingOutcome {
  result?: AutoscalingUpdateResult;
  sent?: Partial<AutoscalingValues>;
  problem?: string;
}

/** Given, the form is not shown (tests, other commands): the values to set. */
export interface AutoscalingPreset {
  values: Partial<AutoscalingValues>;
}

function environmentName(target: CatalogTarget): string | undefined {
  return target.place !== 'environment' ? undefined : target.target.kind === 'environment' ? target.target.name : 'production';
}

/**
 * *Edit Autoscaling…* on an environment or deployment: a form of the five settings with their current values
 * (read from Baseten now), each checked against Baseten's range as it is typed; Apply sends only what changed.
 */
export async function editAutoscaling(deps: PromoteDeps, node?: TargetNode, preset?: AutoscalingPreset): Promise<AutoscalingOutcome> {
  const target =
    node instanceof TargetNode
      ? node.entry
      : await pickTarget(deps.catalog, {
          title: 'Baseten: Edit Autoscaling…',
          placeholder: 'Edit the autoscaling of which environment or deployment?',
          kinds: ['model'],
          offers: (candidate) => operateTokens(candidate).includes('autoscalable'),
          empty: { label: 'Nothing to scale', description: 'no model has a finished deployment' },
        });
  if (!target) return { problem: 'no target chosen' };
  const label = targetLabel(target);
  const environment = environmentName(target);
  const management = deps.services.client.management;
  let settings: AutoscalingSettingsV1 | null;
  try {
    settings = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the autoscaling of ${label}` }, async () =>
      environment ? (await management.getEnvironment(target.owner.id, environment)).autoscaling_settings : (await management.getDeployment(target.owner.id, target.state.deploymentId!)).autoscaling_settings,
    );
  } catch (error) {
    return { problem: showFailure(deps.services.log, `Reading the autoscaling of ${label}`, error).message };
  }
  if (!settings) {
    const problem = `${label} has not finished deploying, so it has no autoscaling settings yet. Try again once it is active.`;
    void vscode.window.showWarningMessage(problem);
    return { problem };
  }
  const current = currentAutoscaling(settings);
  const development = target.place === 'development';
  let edited: AutoscalingValues;
  if (preset) {
    edited = { ...current, ...preset.values };
    const problems = autoscalingErrors(edited);
    if (problems.length) {
      const problem = `The autoscaling of ${label} was not changed: ${problems.map((p) => p.message).join(' ')}`;
      void vscode.window.showErrorMessage(problem);
      return { problem };
    }
  } else {
    const result = await autoscalingForm(label, current, development);
    if (!result) return { problem: 'cancelled' };
    edited = result;
  }
  const update = autoscalingChanges(current, edited);
  if (!Object.keys(update).length) {
    void vscode.window.showInformationMessage(`The autoscaling of ${label} is already as asked; nothing was sent.`);
    return { problem: 'nothing changed', sent: {} };
  }
  const client = deps.services.client.autoscaling;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating the autoscaling of ${label}` }, () =>
      environment ? client.updateEnvironment(target.owner.id, environment, update) : client.updateDeployment(target.owner.id, development ? 'development' : target.state.deploymentId!, update),
    );
    const now = describeAutoscaling({ ...settings, ...update });
    const said =
      result.status === 'QUEUED'
        ? `Baseten queued the autoscaling change of ${label}; it applies once the deployment's current change ends: ${now}.`
        : result.status === 'UNCHANGED'
          ? `The autoscaling of ${label} was already ${now}.`
          : `Autoscaling of ${label}: ${now}.`;
    void vscode.window.showInformationMessage(said);
    return { result, sent: update };
  } catch (error) {
    return { problem: showFailure(deps.services.log, `Updating the autoscaling of ${label}`, error).message };
  } finally {
    reload(deps.catalog, target.owner);
  }
}

type RowItem = vscode.QuickPickItem & { row: FormRow };

/** The form: the Apply row, then one row per setting; choosing a setting asks its value and comes back. */
async function autoscalingForm(label: string, current: AutoscalingValues, development: boolean): Promise<AutoscalingValues | undefined> {
  const edited = { ...current };
  let last: FormRow['key'] = 'apply';
  for (;;) {
    const choice = await showForm(label, formRows(current, edited, development), last);
    if (!choice) return undefined;
    last = choice.key;
    if (choice.key === 'apply') {
      if (!autoscalingErrors(edited).length) return edited;
      continue;
    }
    if (choice.locked) {
      void vscode.window.showInformationMessage(`${autoscalingRange(choice.key).label} of a development deployment stays as it is (0–1 replicas). Promote it to production or another environment to scale it.`);
      continue;
    }
    const value = await askValue(label, choice.key, edited);
    if (value !== undefined) edited[choice.key] = value;
  }
}

function showForm(label: string, rows: FormRow[], active: FormRow['key']): Promise<FormRow | undefined> {
  const pick = vscode.window.createQuickPick<RowItem>();
  pick.title = `Edit Autoscaling: ${label}`;
  pick.placeholder = 'Choose a setting to change it, then Apply (Escape leaves without changing anything)';
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = rows.map((row) => ({ label: row.label, description: row.description, detail: row.detail, row }));
  const activeItem = pick.items.find((item) => item.row.key === active);
  if (activeItem) pick.activeItems = [activeItem];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.row);
      pick.dispose();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** One setting's value, checked as it is typed; Escape keeps the value it had. */
async function askValue(label: string, field: AutoscalingField, values: AutoscalingValues): Promise<number | undefined> {
  const range = autoscalingRange(field);
  const others = Object.fromEntries(AUTOSCALING_RANGES.filter((r) => r.field !== field).map((r) => [r.field, values[r.field]]));
  const text = await vscode.window.showInputBox({
    title: `${range.label}: ${label}`,
    prompt: `${describeRange(range)} (${range.unit}): ${range.help}. Enter keeps it for Apply; Escape goes back without changing it.`,
    value: String(values[field]),
    ignoreFocusOut: true,
    validateInput: (value) => autoscalingValueError(field, value, others),
  });
  return text === undefined ? undefined : Number(text.trim());
}
