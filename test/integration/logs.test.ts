/**
 * Baseten's logs in an editor tab (issue 12, items 1 and 2): opened from a tree node, filtered, followed,
 * paged back, and reached in one click from a failed predict, with its request's traceback selected.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { BasetenTestApi } from '../../src/extension';
import type { LogsPanel } from '../../src/features/logs/logsPanel';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import { axeWebviews, clickInUi, clickInWebview, emulatorControl, extensionApi, fillInWebview, hasBrowser, pressInUi, queryWebviews, screenshot, textsInUi, waitFor } from './harness';
import { target } from './asyncNodes';
import { isChain, isTarget } from './nodes';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { restoreTheme, THEMES, useTheme } from './themes';

const PAGE = 'body[data-panel="logs"]';
const echo = SEED.models.echo;

/** The rows in the page, top to bottom (the page reuses row elements, so their DOM order is not theirs). */
async function rowsShown(): Promise<Array<{ text: string; html: string }>> {
  const rows = await queryWebviews(`${PAGE} .canvas .row:not([hidden])`);
  const index = (html: string): number => Number(/data-index="(\d+)"/.exec(html)?.[1] ?? -1);
  return rows.sort((a, b) => index(a.html) - index(b.html));
}

describe('Logs tab (issue 12)', function () {
  this.timeout(180_000);
  let api: BasetenTestApi;

  before(async () => {
    await emulatorControl('POST', 'reset');
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  afterEach(async () => {
    for (const panel of api.logs.open) panel.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
  });
  // Leave the emulator and what the extension knows of it as they were (a wake was failed, lines were added).
  after(async () => {
    await restoreTheme();
    await emulatorControl('POST', 'reset');
    for (const owner of (await api.catalog.listOwners('model')).owners) api.catalog.refresh({ owner });
    const sleepy = await target(api, 'sleepy', 'production').catch(() => undefined);
    if (sleepy) await waitFor(async () => (await target(api, 'sleepy', 'production')).state.status === 'SCALED_TO_ZERO', 10_000, 'sleepy asleep again in the tree');
  });

  it('Show Logs on an environment node opens its lines: time, level, replica, request, message; filters by level and text', async () => {
    await emulatorControl('POST', `deployments/${echo.id}/${echo.productionDeploymentId}/logs`, { count: 300, spanMinutes: 50 });
    const echoProduction = await target(api, 'echo', 'production');
    const answer = await api.services.client.inference.predict(echoProduction.owner, echoProduction.target, { kind: 'json', value: { hello: 'logs' } });
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', echoProduction);
    assert.ok(panel, 'a logs tab');
    assert.equal(panel.panel.title, 'Logs: echo · production');
    await waitFor(() => panel.buffer.size > 300 && !panel.state.loading, 15_000, 'the lines');
    // The model server writes "Completed" as the answer ends, so it can land just after the first page: Follow brings it.
    await waitFor(() => panel.buffer.lines.some((line) => line.requestId === answer.requestId && line.message.startsWith('Completed predict')), 15_000, 'the predict’s own line');
    assert.ok(panel.state.following, 'Follow is on when opened from the tree');
    if (hasBrowser()) {
      await waitFor(async () => (await rowsShown()).length > 10, 10_000, 'rows in the page');
      const shown = await rowsShown();
      assert.ok(shown.length < 200, `only the rows in view are in the page (${shown.length})`);
      const header = (await queryWebviews(`${PAGE} .row.head`))[0]?.text ?? '';
      assert.match(header, /Time\s*Level\s*Replica\s*Request\s*Message/);
      assert.match(shown[shown.length - 1].text, /Completed predict/, 'the newest line at the bottom');
      assert.match((await queryWebviews(`${PAGE} #summary`))[0].text, /lines · Last hour · following/);
      await screenshot('logs-tab');

      await fillInWebview(`${PAGE} #level`, 'WARNING');
      await waitFor(() => panel.filter.minLevel === 'WARNING' && !panel.state.loading && panel.buffer.size > 0, 10_000, 'the level filter');
      assert.ok(panel.buffer.lines.every((line) => line.level === 'WARNING' || line.level === 'ERROR'), 'only warnings and errors');
      await waitFor(async () => (await rowsShown()).every((row) => /data-level="(WARNING|ERROR)"/.test(row.html)), 10_000, 'only warnings in the page');
      await screenshot('logs-tab-warnings');
      await fillInWebview(`${PAGE} #level`, '');
      await fillInWebview(`${PAGE} #text`, 'Slow predict');
      await waitFor(() => panel.filter.text === 'Slow predict' && panel.filter.minLevel === undefined && !panel.state.loading, 10_000, 'the text filter');
      assert.ok(panel.buffer.size > 0 && panel.buffer.lines.every((line) => line.message.includes('Slow predict')));
      await clickInWebview(`${PAGE} #clear-filters`);
      await waitFor(() => !panel.filter.text && !panel.state.loading && panel.buffer.size > 300, 10_000, 'the filters cleared');
    } else {
      await panel.setFilter({ range: panel.filter.range, minLevel: 'WARNING' });
      assert.ok(panel.buffer.size > 0 && panel.buffer.lines.every((line) => line.level === 'WARNING' || line.level === 'ERROR'));
    }
  });

  it('Follow shows the line of a predict sent after opening, and pauses while the tab is hidden', async () => {
    const echoProduction = await target(api, 'echo', 'production');
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', echoProduction);
    await waitFor(() => !panel.state.loading && panel.buffer.size > 0, 15_000, 'the first page');
    const answer = await api.services.client.inference.predict(echoProduction.owner, echoProduction.target, { kind: 'json', value: { follow: 'me' } });
    await waitFor(() => panel.buffer.lines.some((line) => line.requestId === answer.requestId && line.message.startsWith('Completed predict')), 15_000, 'the new line, followed');
    if (hasBrowser()) {
      const short = String(answer.requestId).slice(0, 8);
      await waitFor(async () => (await rowsShown()).some((row) => row.text.includes(short) && row.text.includes('Completed predict')), 10_000, 'the new line in the page');
      await waitFor(async () => /new line/.test((await queryWebviews(`${PAGE} #announce`))[0]?.text ?? ''), 10_000, 'the new lines announced, as a count');
    }
    const document = await vscode.workspace.openTextDocument({ content: 'elsewhere' });
    await vscode.window.showTextDocument(document, { viewColumn: panel.panel.viewColumn });
    await waitFor(() => panel.state.paused, 10_000, 'Follow paused while hidden');
    const polls = panel.stats.polls;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    assert.equal(panel.stats.polls, polls, 'no poll while hidden');
    panel.reveal();
    await waitFor(() => !panel.state.paused && panel.stats.polls > polls, 10_000, 'Follow resumed');
  });

  it('Load Earlier pages back within the range until nothing earlier is left', async () => {
    await emulatorControl('POST', 'reset');
    await emulatorControl('POST', `deployments/${echo.id}/${echo.deployments.staging}/logs`, { count: 1500, spanMinutes: 40 });
    const staging = await target(api, 'echo', 'staging');
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', staging);
    await waitFor(() => !panel.state.loading && panel.buffer.size > 0, 15_000, 'the first page');
    assert.equal(panel.buffer.size, 1000, 'the newest 1000 lines first');
    assert.ok(panel.state.canLoadEarlier);
    if (hasBrowser()) {
      await waitFor(async () => (await queryWebviews(`${PAGE} #load-earlier:not([disabled])`)).length === 1, 10_000, 'Load Earlier');
      await clickInWebview(`${PAGE} #load-earlier`);
    } else {
      await panel.loadEarlier();
    }
    await waitFor(() => !panel.state.loading && panel.buffer.size > 1000, 15_000, 'the earlier page');
    if (panel.state.canLoadEarlier) await panel.loadEarlier();
    assert.ok(panel.buffer.size >= 1500, `${panel.buffer.size} lines`);
    assert.ok(panel.state.reachedStart && !panel.state.canLoadEarlier, 'nothing earlier in the range');
    const times = panel.buffer.lines.map((line) => line.timeMs);
    assert.ok(times.every((time, i) => i === 0 || time >= times[i - 1]), 'oldest first');
    if (hasBrowser()) {
      await waitFor(async () => /Nothing earlier in this range/.test((await queryWebviews(`${PAGE} #load-earlier`))[0]?.text ?? ''), 10_000, 'the end of the range said');
      await waitFor(async () => /1,5\d\d lines/.test((await queryWebviews(`${PAGE} #summary`))[0]?.text ?? ''), 10_000, 'the count');
    }
  });

  it("a predict that fails in the failing model leads, in one click, to the log line that has its request id", async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: '{"n": 1}' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 8);
    const failed = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', await target(api, 'failing', 'production'));
    assert.equal(failed.outcome, 'error');
    assert.deepEqual(failed.buttons, ['Show Logs']);
    const requestId = failed.entry?.requestId;
    assert.ok(requestId && failed.logs?.requestId === requestId, 'Show Logs carries the request id');
    if (hasBrowser()) {
      await vscode.commands.executeCommand('notifications.showList');
      await waitFor(async () => (await textsInUi('.notifications-center')).some((text) => text.includes('Predict on failing · production failed')), 10_000, 'the failure notice');
      await clickInUi('.notifications-center .monaco-button:has-text("Show Logs")');
    } else {
      await vscode.commands.executeCommand('baseten.showLogs', failed.logs);
    }
    await waitFor(() => api.logs.open.length === 1 && !api.logs.open[0].state.loading && api.logs.open[0].buffer.size > 0, 15_000, 'the failure’s logs');
    const panel = api.logs.open[0];
    assert.equal(panel.panel.title, 'Logs: failing · production');
    assert.equal(panel.filter.requestId, requestId);
    assert.equal(panel.filter.range.kind, 'since');
    assert.ok(panel.buffer.lines.every((line) => line.requestId === requestId));
    const failure = panel.buffer.lines.find((line) => line.level === 'ERROR' && line.message.includes('Traceback'));
    assert.ok(failure, 'the traceback line of that request');
    if (hasBrowser()) {
      await waitFor(async () => (await queryWebviews(`${PAGE} .canvas .row.active[data-level="ERROR"]`)).length === 1, 10_000, 'the error line selected');
      const details = (await queryWebviews(`${PAGE} #details-message`))[0]?.text ?? '';
      assert.match(details, /RuntimeError: this model always fails/);
      assert.match((await queryWebviews(`${PAGE} #details-meta`))[0]?.text ?? '', new RegExp(`request ${requestId}`));
      assert.equal((await queryWebviews(`${PAGE} #request`))[0]?.value, requestId);
      await screenshot('logs-from-failure');
    }
  });

  it("a failed chat answer on a deployed model offers Show Logs, opening that deployment's logs around the failure", async () => {
    const llm = await target(api, 'llm', 'production');
    const chat = api.chat.open();
    chat.newConversation();
    chat.setTarget({ kind: 'deployment', owner: llm.owner, target: llm.target, model: 'llm', label: 'llm · production', features: [] });
    await emulatorControl('POST', 'faults', { match: { path: '/sync\\/v1\\/chat\\/completions$/' }, times: 1, fault: { kind: 'status', status: 400 } });
    const answer = await chat.ask('Why did it fail?');
    await emulatorControl('DELETE', 'faults');
    assert.equal(answer?.state, 'failed');
    assert.ok(answer.logs && answer.logs.owner.id === llm.owner.id, 'the answer knows where its logs are');
    if (hasBrowser()) {
      await waitFor(async () => (await queryWebviews(`article[data-answer-id="${answer.id}"] button.show-logs`)).length === 1, 10_000, 'Show Logs under the failed answer');
      await screenshot('logs-from-chat-failure');
      await clickInWebview(`article[data-answer-id="${answer.id}"] button.show-logs`);
    } else {
      await vscode.commands.executeCommand('baseten.showLogs', { ...answer.logs, requestId: answer.stats.requestId });
    }
    await waitFor(() => api.logs.open.some((panel) => panel.panel.title === 'Logs: llm · production'), 10_000, 'the llm logs tab');
    const panel = api.logs.open.find((candidate) => candidate.panel.title === 'Logs: llm · production')!;
    assert.equal(panel.filter.range.kind, 'since');
    chat.dispose();
  });

  it('Show Logs on a chainlet opens that chainlet’s logs; from the palette, the target picker asks which', async () => {
    const chain = (await api.trees.chains.getChildren()).filter(isChain).find((node) => node.owner.name === 'pipeline');
    assert.ok(chain, 'the pipeline chain');
    const production = (await api.trees.chains.getChildren(chain)).find((node): node is TargetNode => isTarget(node) && node.key === 'production');
    assert.ok(production);
    const chainlets = await api.trees.chains.getChildren(production);
    const summarizer = chainlets.find((node) => node.treeItem().label === 'Summarizer');
    assert.ok(summarizer, 'the Summarizer chainlet');
    assert.equal(summarizer.treeItem().contextValue, 'baseten.chainlet');
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', summarizer);
    assert.equal(panel.panel.title, 'Logs: pipeline · production · Summarizer');
    assert.deepEqual(panel.source, { kind: 'chainlet', chainId: SEED.chains.pipeline.id, deploymentId: SEED.chains.pipeline.productionDeploymentId, chainletId: SEED.chains.pipeline.chainlets.summarizer });
    await waitFor(() => !panel.state.loading && panel.buffer.size > 0, 10_000, 'the chainlet’s lines');
    panel.dispose();
    if (!hasBrowser()) return;
    const opened = vscode.commands.executeCommand<LogsPanel | undefined>('baseten.showLogs');
    await waitFor(async () => (await textsInUi('.quick-input-widget .monaco-list-row')).some((text) => text.includes('echo · staging')), 10_000, 'the target picker');
    await screenshot('logs-palette-pick');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("echo · staging")');
    const picked = await opened;
    assert.equal(picked?.panel.title, 'Logs: echo · staging');
  });

  it('a Build failed deployment and a failed async request open the logs that say why', async () => {
    const broken = await target(api, 'echo', echo.deployments.buildFailed);
    assert.match(String(broken.treeItem().contextValue), /status-BUILD_FAILED/, 'the inline Show Logs is offered on it (package.json)');
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', broken);
    await waitFor(() => !panel.state.loading && panel.buffer.size > 0, 15_000, 'the build log');
    assert.ok(panel.buffer.lines.some((line) => line.level === 'ERROR' && line.message === 'Build failed'));
    assert.equal(panel.source.kind, 'deployment');

    const echoProduction = await target(api, 'echo', 'production');
    const submitted = await api.services.client.inference.asyncPredict(echoProduction.owner, echoProduction.target, { model_input: { fail: true }, inference_retry_config: { max_attempts: 1 } });
    const asyncLogs = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', { logs: { owner: echoProduction.owner, target: echoProduction.target, atMs: Date.now(), requestId: submitted.requestId } });
    await waitFor(async () => {
      await asyncLogs.reload();
      return asyncLogs.buffer.lines.some((line) => line.level === 'ERROR' && /MODEL_PREDICT_ERROR/.test(line.message));
    }, 15_000, 'the async request’s error line');
    assert.ok(asyncLogs.buffer.lines.every((line) => line.requestId === submitted.requestId));
  });

  it('a wake that ends badly offers Show Logs, opening the logs that say what happened', async function () {
    if (!hasBrowser()) this.skip();
    await emulatorControl('POST', 'reset');
    await vscode.commands.executeCommand('notifications.clearAll');
    const sleepy = SEED.models.sleepy;
    api.catalog.refresh({ owner: { kind: 'model', id: sleepy.id, name: 'sleepy' } });
    api.trees.models.reload();
    const node = await target(api, 'sleepy', 'production');
    const waking = vscode.commands.executeCommand<string>('baseten.wake', node);
    await waitFor(async () => ((await emulatorControl<{ models: Array<{ id: string; deployments: Array<{ id: string; status: string }> }> }>('GET', 'state')).models.find((m) => m.id === sleepy.id)?.deployments.find((d) => d.id === sleepy.productionDeploymentId)?.status ?? '') !== 'SCALED_TO_ZERO', 10_000, 'the wake to start');
    await emulatorControl('POST', `deployments/${sleepy.id}/${sleepy.productionDeploymentId}/status`, { status: 'UNHEALTHY' });
    assert.equal(await waking, 'failed');
    await vscode.commands.executeCommand('notifications.showList');
    await waitFor(async () => (await textsInUi('.notifications-center')).some((text) => text.includes('Waking sleepy · production failed')), 10_000, 'the wake failure');
    await clickInUi('.notifications-center .monaco-button:has-text("Show Logs")');
    await waitFor(() => api.logs.open.some((panel) => panel.panel.title === 'Logs: sleepy · production' && !panel.state.loading && panel.buffer.size > 0), 10_000, 'the logs of the wake');
    const panel = api.logs.open.find((candidate) => candidate.panel.title === 'Logs: sleepy · production')!;
    assert.equal(panel.filter.range.kind, 'since');
    assert.ok(panel.buffer.lines.some((line) => line.message === 'Wake requested') && panel.buffer.lines.some((line) => line.message === 'Status set to UNHEALTHY'), panel.buffer.lines.map((line) => line.message).join(' | '));
    await emulatorControl('POST', 'reset');
  });

  it('is keyboard reachable and axe-clean in Light, Dark, Dark HC and Light HC', async function () {
    if (!hasBrowser()) this.skip();
    const failing = await target(api, 'failing', 'production');
    await api.services.client.inference.predict(failing.owner, failing.target, { kind: 'json', value: {} }).catch(() => undefined);
    await emulatorControl('POST', `deployments/${SEED.models.failing.id}/${SEED.models.failing.productionDeploymentId}/logs`, { count: 60, spanMinutes: 20 });
    const panel = await vscode.commands.executeCommand<LogsPanel>('baseten.showLogs', failing);
    await waitFor(() => !panel.state.loading && panel.buffer.size > 0, 15_000, 'the lines');
    await waitFor(async () => (await rowsShown()).length > 5, 10_000, 'rows');
    await clickInWebview(`${PAGE} #transcript`);
    await pressInUi('End');
    await waitFor(async () => (await queryWebviews(`${PAGE} .canvas .row.active`)).length === 1, 10_000, 'End selects the last line');
    await pressInUi('ArrowUp');
    await pressInUi('ArrowUp');
    const found: string[] = [];
    for (const theme of THEMES) {
      await useTheme(theme);
      const reports = await axeWebviews('logs');
      assert.equal(reports.length, 1, 'one logs page');
      await screenshot(theme.name === 'light' ? 'logs-tab-light' : `logs-tab-${theme.name}`);
      for (const report of reports) {
        for (const violation of report.violations) {
          if (violation.impact === 'serious' || violation.impact === 'critical') found.push(`[${theme.name}] ${violation.id} ×${violation.nodes}: ${violation.help} — ${violation.targets.join(' | ')} — ${violation.summary}`);
        }
      }
    }
    assert.deepEqual(found, [], found.join('\n'));
  });
});
