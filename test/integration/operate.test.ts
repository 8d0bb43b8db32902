/**
 * Metrics, promotion and autoscaling in the real VS Code against the emulator: the hover text and the Show
 * Metrics panel (refreshed while visible, paused while hidden, axe-clean in four themes), a promotion followed
 * by the Models view to its end and one cancelled, and the autoscaling form.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { MetricsPanel } from '../../src/features/metrics/metricsPanel';
import type { AutoscalingOutcome } from '../../src/features/operate/editAutoscaling';
import type { PromoteOutcome } from '../../src/features/operate/promote';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import type { AxeReport } from '../runner/webviewA11y';
import {
  axeWebviews,
  clickInUi,
  describeShown,
  emulatorControl,
  emulatorKeys,
  emulatorStats,
  emulatorUrl,
  extensionApi,
  fillInUi,
  focusInWebviews,
  hasBrowser,
  pressInUi,
  queryWebviews,
  rootAsShown,
  screenshot,
  shownNode,
  textsInUi,
  waitFor,
} from './harness';
import { isModel } from './nodes';
import { restoreTheme, THEMES } from './themes';

type ExtensionApi = Awaited<ReturnType<typeof extensionApi>>;
const echo = SEED.models.echo;
const PICKER = '.quick-input-widget:visible';

async function management(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulatorUrl()}/management/v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${emulatorKeys().apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function predict(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${emulatorUrl()}/model-${echo.id}/production/predict`, { method: 'POST', headers: { authorization: `Api-Key ${emulatorKeys().apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ i }) });
    assert.equal(response.status, 200);
  }
}

/** The echo model as the Models view shows it, expanded, and a getter for one of its targets as shown now. */
async function echoInView(api: ExtensionApi): Promise<(place: string, key: string) => TargetNode | undefined> {
  const tree = api.trees.models;
  await vscode.commands.executeCommand('workbench.view.extension.baseten');
  const model = (await rootAsShown(tree)).filter(isModel).find((node) => node.owner.name === 'echo');
  assert.ok(model, 'the view shows echo');
  await api.trees.views.models.reveal(model, { expand: true, focus: false, select: false });
  const target = (place: string, key: string): TargetNode | undefined => shownNode(tree, model.id, `model/${echo.id}/${place}/${key}`) as TargetNode | undefined;
  await waitFor(() => !!target('environment', 'production'), 10_000, `echo's targets in the view (${describeShown(tree)})`);
  return target;
}

const promotes = async (): Promise<number> => (await emulatorStats()).requests.filter((request) => /\/promote$/.test(request.path)).length;

describe('Operate: metrics, promotion and autoscaling', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('baseten');

  before(async () => {
    await emulatorControl('POST', 'reset');
    api = await extensionApi();
    await settings().update('statusPollSeconds', 1, vscode.ConfigurationTarget.Global);
    await settings().update('metrics.refreshSeconds', 1, vscode.ConfigurationTarget.Global);
    for (const owner of (await api.catalog.listOwners('model')).owners) api.catalog.refresh({ owner });
  });
  after(async () => {
    await settings().update('statusPollSeconds', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('metrics.refreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    await restoreTheme();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await emulatorControl('POST', 'reset');
    for (const owner of (await api.catalog.listOwners('model')).owners) api.catalog.refresh({ owner });
  });

  it('metrics: the hover text and Show Metrics give what the deployment served; refreshed while visible, paused while hidden; axe-clean in four themes', async () => {
    await predict(4);
    const target = await echoInView(api);
    const production = target('environment', 'production')!;
    const tooltip = await api.trees.models.tooltipOf(production);
    const hosted = (await emulatorStats()).requests.filter((request) => request.path.startsWith('/model-')).map((request) => `${request.method} ${request.path} ${request.status}`);
    assert.match(tooltip.value, /\*\*Last hour:\*\* [\d.<]+ requests\/s · p50 \d+ ms · p95 \d+ ms · (no errors|\d+ errors?)/, `${tooltip.value}\n${hosted.join('\n')}`);

    const panel = await vscode.commands.executeCommand<MetricsPanel>('baseten.showMetrics', production);
    assert.ok(panel, 'a metrics panel');
    await waitFor(() => !!panel.shown, 10_000, 'the first metrics');
    const requests = panel.shown!.charts.find((chart) => chart.id === 'requests')!;
    assert.match(requests.latest, /requests\/s$/);
    assert.match(requests.summary, /^Requests per second: now/);
    assert.doesNotMatch(JSON.stringify(panel.shown), /baseten_|SERIES|PER_SECOND/, 'no metric or enum names shown');

    // Visible: read again every second. Hidden behind an editor: nothing read; shown again: read at once.
    const visibleLoads = panel.stats.loads;
    await waitFor(() => panel.stats.loads >= visibleLoads + 2, 10_000, 'refreshes while visible');
    const document = await vscode.workspace.openTextDocument({ content: 'hidden', language: 'plaintext' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await waitFor(() => !panel.visible, 5_000, 'the panel to be hidden');
    const hiddenLoads = panel.stats.loads;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.ok(panel.stats.loads <= hiddenLoads + 1, `no reads while hidden (${panel.stats.loads - hiddenLoads})`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    panel.reveal();
    await waitFor(() => panel.visible && panel.stats.loads > hiddenLoads + 1, 10_000, 'a read once shown again');

    if (!hasBrowser()) return;
    await waitFor(async () => (await queryWebviews('body[data-panel="metrics"] section.card')).length === 5, 10_000, 'five charts in the page');
    const captions = await queryWebviews('body[data-panel="metrics"] figcaption');
    assert.ok(captions.every((caption) => caption.text.length > 20), 'every chart has its text alternative');
    const charts = await queryWebviews('body[data-panel="metrics"] svg[role="img"][aria-labelledby]');
    assert.equal(charts.length, 5);
    await screenshot('metrics-view');
    // Keyboard: the Refresh button takes the focus and reads again.
    await clickInUi('.webview.ready');
    const before = panel.stats.loads;
    await waitFor(async () => {
      await pressInUi('Tab');
      return (await focusInWebviews()).some((report) => report.panel === 'metrics' && report.active.id === 'refresh');
    }, 10_000, 'Refresh reached with Tab');
    const focus = (await focusInWebviews()).find((report) => report.panel === 'metrics')!;
    assert.match(focus.active.outline, /solid/, `visible focus: ${focus.active.outline}`);
    await pressInUi('Enter');
    await waitFor(() => panel.stats.loads > before, 10_000, 'Refresh from the keyboard');

    const serious: string[] = [];
    for (const theme of THEMES) {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme.setting, vscode.ConfigurationTarget.Global);
      await waitFor(() => vscode.window.activeColorTheme.kind === theme.kind, 10_000, theme.setting);
      await waitFor(async () => (await queryWebviews(`body.${theme.body}[data-panel="metrics"] section.card`)).length === 5, 10_000, `the page in ${theme.setting}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const reports: AxeReport[] = await axeWebviews('metrics');
      assert.equal(reports.length, 1, 'one metrics page');
      for (const violation of reports[0].violations) {
        if (violation.impact === 'serious' || violation.impact === 'critical') serious.push(`[${theme.name}] ${violation.id} ×${violation.nodes}: ${violation.help} — ${violation.targets.join(' | ')}`);
      }
      if (theme.name !== 'light') await screenshot(`metrics-view-${theme.name}`);
    }
    await restoreTheme();
    assert.deepEqual(serious, []);
    panel.dispose();
  });

  it('promotion: the confirmation names the change, the environment shows it in progress with its candidate, and the tree follows it to its end', async () => {
    // Ramping over 8 s keeps the promotion in progress long enough to see it.
    assert.equal((await management('PATCH', `models/${echo.id}/environments/staging`, { promotion_settings: { ramp_up_while_promoting: true, ramp_up_duration_seconds: 8 } })).status, 200);
    const target = await echoInView(api);
    const production = target('environment', 'production')!;
    assert.match(String(production.treeItem().contextValue), /\bpromotable\b/);
    assert.doesNotMatch(String(production.treeItem().contextValue), /\bpromotableToProduction\b/, 'production is not promoted to itself');

    // A dismissed confirmation changes nothing.
    const sentBefore = await promotes();
    const declined = await vscode.commands.executeCommand<PromoteOutcome>('baseten.promoteToEnvironment', production, { environment: 'staging', confirm: false });
    assert.equal(declined.problem, 'not confirmed');
    assert.equal(declined.change, 'echo · staging will serve deployment-4 instead of deployment-3; deployment-3 will scale down to zero.');
    assert.equal(await promotes(), sentBefore, 'nothing sent');

    let outcome: PromoteOutcome;
    if (hasBrowser()) {
      const pending = vscode.commands.executeCommand<PromoteOutcome>('baseten.promoteToEnvironment', production);
      await waitFor(async () => (await textsInUi(`${PICKER} .monaco-list-row`)).some((row) => row.includes('serves deployment-3')), 15_000, 'the environment pick');
      // The keyboard, as a user in a quick pick would: a click can land on a hover left over the rows.
      await fillInUi(`${PICKER} input`, 'staging');
      await pressInUi('Enter');
      await waitFor(async () => (await textsInUi(`${PICKER} .quick-input-title`)).some((title) => title.includes('Promote deployment-4 to echo · staging?')), 15_000, 'the confirmation');
      const rows = (await textsInUi(`${PICKER} .monaco-list-row`)).join('\n');
      assert.match(rows, /echo · staging will serve deployment-4 instead of deployment-3/);
      assert.match(rows, /Then deployment-3 will scale down to zero\. Traffic moves over gradually, in about 8 s\./);
      await screenshot('promotion-confirmation');
      await pressInUi('Enter');
      outcome = await pending;
    } else {
      outcome = await vscode.commands.executeCommand<PromoteOutcome>('baseten.promoteToEnvironment', production, { environment: 'staging', confirm: true });
    }
    assert.equal(outcome.candidate?.id, echo.deployments.production, outcome.problem);

    await waitFor(() => target('environment', 'staging')?.state.promotion?.status === 'RAMPING_UP', 15_000, 'the staging node to show traffic moving');
    const promoting = target('environment', 'staging')!;
    assert.match(String(promoting.treeItem().description), /^Promoting deployment-4 \(\d+ % of traffic\) · Active/);
    assert.match(String(promoting.treeItem().contextValue), /\bpromoting\b/);
    const hover = await api.trees.models.tooltipOf(promoting);
    assert.match(hover.value, /Promotion \| Moving traffic: deployment\\-4/);
    await api.trees.views.models.reveal(promoting, { focus: false, select: false });
    // A wider sidebar (a narrower editor), as a user watching a promotion would drag it, so the whole row reads.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await screenshot('promotion-in-progress');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');

    await waitFor(() => target('environment', 'staging')?.state.deploymentId === echo.deployments.production && !target('environment', 'staging')?.state.promotion, 20_000, 'the tree to follow the promotion to its end');
    assert.equal((await (await management('GET', `models/${echo.id}/deployments/${echo.deployments.staging}`)).json() as { status: string }).status, 'SCALED_TO_ZERO');
  });

  it('promotion: Cancel Promotion while traffic moves: the environment keeps serving what it served', async () => {
    const target = await echoInView(api);
    const development = target('development', 'development')!;
    const outcome = await vscode.commands.executeCommand<PromoteOutcome>('baseten.promoteToEnvironment', development, { environment: 'staging', confirm: true });
    assert.match(outcome.change ?? '', /echo · staging will serve a new deployment published from development instead of deployment-4/);
    await waitFor(() => target('environment', 'staging')?.state.promotion?.status === 'RAMPING_UP', 15_000, 'the promotion to move traffic');
    const cancelled = await vscode.commands.executeCommand<{ status?: string }>('baseten.cancelPromotion', target('environment', 'staging'));
    assert.equal(cancelled.status, 'RAMPING_DOWN');
    await waitFor(() => !target('environment', 'staging')?.state.promotion, 20_000, 'the promotion to end');
    assert.equal(target('environment', 'staging')?.state.deploymentId, echo.deployments.production, 'still deployment-4');
  });

  it('autoscaling: the form starts from the current values, refuses a value out of range saying what to type, sends only the change; the tooltip shows it', async () => {
    const target = await echoInView(api);
    const production = target('environment', 'production')!;
    const patches = async (): Promise<number> => (await emulatorStats()).requests.filter((request) => request.method === 'PATCH').length;

    const before = await patches();
    const refused = await vscode.commands.executeCommand<AutoscalingOutcome>('baseten.editAutoscaling', production, { values: { autoscaling_window: 5 } });
    assert.match(refused.problem ?? '', /Autoscaling window must be from 10 to 3600 seconds; 5 is outside that range/);
    assert.equal(await patches(), before, 'nothing sent');

    let outcome: AutoscalingOutcome;
    if (hasBrowser()) {
      const pending = vscode.commands.executeCommand<AutoscalingOutcome>('baseten.editAutoscaling', production);
      const rows = (): Promise<string[]> => textsInUi(`${PICKER} .monaco-list-row`);
      await waitFor(async () => (await rows()).some((row) => row.includes('Scale-down delay') && row.includes('900 seconds (15 min)')), 15_000, 'the form with the current values');
      assert.ok((await rows()).some((row) => row.includes('Max replicas') && row.includes('2 replicas')), (await rows()).join('\n'));
      await fillInUi(`${PICKER} input`, 'Scale-down');
      await pressInUi('Enter');
      await waitFor(async () => (await textsInUi(`${PICKER} .quick-input-title`)).some((title) => title.startsWith('Scale-down delay')), 10_000, 'the value box');
      await fillInUi(`${PICKER} input`, '5000');
      await waitFor(async () => (await textsInUi(PICKER)).some((text) => text.includes('from 0 to 3600 seconds; 5000 is outside that range')), 10_000, 'the range message');
      await fillInUi(`${PICKER} input`, '120');
      await pressInUi('Enter');
      await waitFor(async () => (await rows()).some((row) => row.includes('120 seconds (2 min), was 900 seconds (15 min)')), 10_000, 'the form with the change');
      await screenshot('autoscaling-form');
      await fillInUi(`${PICKER} input`, 'Apply');
      await pressInUi('Enter');
      outcome = await pending;
    } else {
      outcome = await vscode.commands.executeCommand<AutoscalingOutcome>('baseten.editAutoscaling', production, { values: { scale_down_delay: 120 } });
    }
    assert.deepEqual(outcome.sent, { scale_down_delay: 120 }, outcome.problem);
    assert.equal(outcome.result?.status, 'ACCEPTED');
    await waitFor(async () => /scale down after 2 min idle/.test((await api.trees.models.tooltipOf(target('environment', 'production')!)).value), 10_000, 'the tooltip to show the new delay');
  });
});
