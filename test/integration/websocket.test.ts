import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WebSocketPanel } from '../../src/features/websocket/sessionPanel';
import { WEBSOCKET_VIEW_TYPE } from '../../src/features/websocket/sessionPanel';
import type { SavedSession } from '../../src/features/websocket/logic/protocol';
import { targetLabel } from '../../src/client/target';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { clickInUi, clickInWebview, emulatorControl, extensionApi, fillInUi, fillInWebview, hasBrowser, queryWebviews, screenshot, textsInUi, waitFor } from './harness';
import { isModel, isTarget } from './nodes';

/** A selector inside the session page only (the chat page has fields with the same IDs). */
const ws = (selector: string): string => `body[data-panel="websocket"] ${selector}`;

/** The tree node of a model's environment (or development). */
async function targetNode(modelName: string, kind: TargetNode['place'], key: string): Promise<TargetNode> {
  const api = await extensionApi();
  // What Baseten says now: an earlier test may have woken or changed the target behind the catalog's back.
  api.trees.models.reload();
  const model = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === modelName);
  assert.ok(model, `model ${modelName} in the tree`);
  const node = (await api.trees.models.getChildren(model)).find((child): child is TargetNode => isTarget(child) && child.place === kind && child.key === key);
  assert.ok(node, `${key} of ${modelName} in the tree`);
  return node;
}

async function openFromTree(modelName: string, environment = 'production'): Promise<WebSocketPanel> {
  const panel = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', await targetNode(modelName, 'environment', environment));
  assert.ok(panel, 'a session panel');
  await waitFor(() => panel.connection.status === 'open', 15_000, `the session with ${targetLabel(panel.target)} to open`);
  return panel;
}

function received(panel: WebSocketPanel): Array<{ text?: string; hex?: string; size: number; kind: string }> {
  return panel.transcript.entries.filter((entry) => entry.direction === 'received');
}

/** The entries the page shows for a selector, once `predicate` holds for them. */
async function shown(selector: string, predicate: (texts: string[]) => boolean, what: string): Promise<string[]> {
  let texts: string[] = [];
  try {
    await waitFor(async () => predicate((texts = (await queryWebviews(selector)).map((match) => match.text))), 15_000, what);
  } catch (error) {
    const entries = (await queryWebviews(ws('.entry'))).map((match) => match.text);
    throw new Error(`${(error as Error).message}; ${selector} shows ${JSON.stringify(texts)}; the entries: ${JSON.stringify(entries).slice(0, 2000)}`);
  }
  return texts;
}

describe('WebSocket session panel', function () {
  this.timeout(90_000);
  const panels: WebSocketPanel[] = [];

  before(() => emulatorControl('POST', 'reset'));
  afterEach(async () => {
    await emulatorControl('DELETE', 'faults');
    for (const panel of panels.splice(0)) panel.dispose();
  });

  it('opens from an environment in the tree and echoes text and JSON, typed and sent in the page, shown as text only', async () => {
    const panel = await openFromTree('echo');
    panels.push(panel);
    assert.match(panel.connection.url ?? '', /\/model-adyqnviz\/environments\/production\/websocket$/);
    const payload = 'Hello <img src=x onerror="document.body.dataset.xss=1"> <b>bold</b>';
    if (hasBrowser()) {
      await shown(ws('#status'), (texts) => texts[0] === 'Connected', 'the page to say Connected');
      await fillInWebview(ws('#input'), payload);
      await clickInWebview(ws('#send'));
    } else {
      assert.equal(await panel.send('text', payload), undefined);
    }
    await waitFor(() => received(panel).some((entry) => entry.text === payload), 10_000, 'the echo');

    // JSON: an error names its place and Send waits; valid JSON goes out and comes back pretty-printed.
    const json = '{"prompt": "hi", "n": [1, 2]}';
    if (hasBrowser()) {
      await fillInWebview(ws('#mode'), 'json');
      await fillInWebview(ws('#input'), '{"prompt": "hi",\n  "n": [1 2]}');
      const error = await shown(ws('#json-error:not([hidden])'), (texts) => texts.length === 1, 'the JSON error');
      assert.match(error[0], /line 2, column 11/);
      assert.equal((await queryWebviews(ws('#send[disabled]'))).length, 1, 'Send is disabled while the JSON is invalid');
      await fillInWebview(ws('#input'), json);
      await waitFor(async () => (await queryWebviews(ws('#send[disabled]'))).length === 0, 10_000, 'Send enabled');
      await clickInWebview(ws('#send'));
    } else {
      assert.equal(await panel.send('json', json), undefined);
    }
    await waitFor(() => received(panel).some((entry) => entry.text === json), 10_000, 'the JSON echo');
    assert.match((await panel.send('json', '{"a": }')) ?? '', /^Invalid JSON at line 1, column 7/);
    assert.equal(panel.transcript.entries.filter((entry) => entry.direction === 'sent').length, 2, 'invalid JSON is not sent');
    assert.equal(panel.stats.unexpected, 0);

    if (!hasBrowser()) return;
    const csp = (await queryWebviews('meta[http-equiv="Content-Security-Policy"]')).map((match) => match.html).find((html) => html.includes("default-src 'none'") && html.includes("script-src 'nonce-") && !html.includes('img-src'));
    assert.ok(csp, 'the page has a CSP');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const texts = await shown(ws('.entry.received .body'), (all) => all.length === 2, 'both echoes in the page');
    assert.equal(texts[0], payload, 'model text is shown as text');
    assert.equal(texts[1], JSON.stringify(JSON.parse(json), null, 2), 'JSON is pretty-printed');
    const kinds = (await queryWebviews(ws('.entry.received .kind'))).map((match) => match.text);
    assert.deepEqual(kinds, ['text', 'JSON']);
    assert.deepEqual(await queryWebviews(ws('#transcript img')), []);
    assert.deepEqual(await queryWebviews(ws('#transcript b')), []);
    assert.deepEqual(await queryWebviews('body[data-xss]'), [], 'no payload ran');
    const headers = (await queryWebviews(ws('.entry.sent header'))).map((match) => match.text);
    assert.match(headers[0], /↑ Sent\d{2}:\d{2}:\d{2}\.\d{3}\d+ B/);
    await clickInWebview(ws('#ping'));
    await waitFor(() => panel.connection.rttMs !== undefined, 10_000, 'the ping round trip');
    await shown(ws('#rtt'), (all) => /^\d+(\.\d+)? ms$/.test(all[0] ?? ''), 'the round trip in the toolbar');
    await screenshot('websocket-panel');
  });

  it('sends a file as one binary message; the echo shows its size and a hex preview', async () => {
    const panel = await openFromTree('echo');
    panels.push(panel);
    const file = join(mkdtempSync(join(tmpdir(), 'baseten-ws-')), 'blob.bin');
    writeFileSync(file, Uint8Array.from({ length: 300 }, (_, i) => i % 256));
    assert.equal(await panel.sendFile(vscode.Uri.file(file)), undefined);
    await waitFor(() => received(panel).some((entry) => entry.kind === 'binary'), 10_000, 'the binary echo');
    const echo = received(panel).find((entry) => entry.kind === 'binary')!;
    assert.equal(echo.size, 300);
    assert.match(echo.hex ?? '', /^00 01 02 03 .* 1f … \(\+268 bytes\)$/);
    if (!hasBrowser()) return;
    const hex = await shown(ws('.entry.received .body.hex'), (texts) => texts.length === 1, 'the hex preview');
    assert.equal(hex[0], echo.hex);
    const sent = await shown(ws('.entry.sent .kind'), (texts) => texts.length === 1, 'the sent file');
    assert.equal(sent[0], 'binary · blob.bin');
    assert.ok((await queryWebviews(ws('.entry.received .size'))).some((match) => match.text === '300 B'));
  });

  it('connecting to a target known to be scaled to zero says a cold start is under way until it opens', async () => {
    await emulatorControl('POST', 'reset');
    const node = await targetNode('sleepy', 'environment', 'production');
    assert.equal(node.state.status, 'SCALED_TO_ZERO');
    // The emulator holds the upgrade a while before it wakes the deployment, so the page can be read meanwhile.
    await emulatorControl('POST', 'faults', { match: { path: '/\\/websocket$/' }, times: 1, fault: { kind: 'delay', ms: 4000 } });
    const panel = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', node);
    assert.ok(panel, 'a session panel');
    panels.push(panel);
    assert.equal(panel.connection.status, 'connecting');
    assert.equal(panel.connection.coldStart, true);
    if (hasBrowser()) await shown(ws('#status'), (texts) => texts[0] === 'Connecting… a cold start is under way', 'the page to say a cold start is under way');
    await waitFor(() => panel.connection.status === 'open', 20_000, 'the session to open once the deployment is up');
    assert.equal(panel.connection.coldStart, undefined);
    if (hasBrowser()) await shown(ws('#status'), (texts) => texts[0] === 'Connected', 'the page to say Connected');

    const awake = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', await targetNode('echo', 'environment', 'production'));
    assert.ok(awake, 'a session panel');
    panels.push(awake);
    assert.equal(awake.connection.coldStart, undefined, 'no cold start for an active target');
  });

  it('a server-side close shows its code and what it means; Reconnect in the page opens a new session', async () => {
    await emulatorControl('POST', 'faults', { match: { path: '/\\/websocket$/' }, times: 1, fault: { kind: 'ws-close', code: 1011, reason: 'model crashed', afterMessages: 1 } });
    const panel = await openFromTree('echo', 'staging');
    panels.push(panel);
    await panel.send('text', 'trip');
    await waitFor(() => panel.connection.status === 'closed', 10_000, 'the server to close');
    assert.equal(panel.connection.close?.code, 1011);
    assert.equal(panel.connection.close?.explanation, 'The model or server hit an error');
    assert.equal(panel.connection.close?.reason, 'model crashed');
    if (hasBrowser()) {
      const info = await shown(ws('#close-info:not([hidden])'), (texts) => texts.length === 1, 'the close in the page');
      assert.equal(info[0], 'Closed with code 1011: The model or server hit an error. Reason: “model crashed”.');
      assert.equal((await queryWebviews(ws('.entry.event[data-close-code="1011"]'))).length, 1);
      await screenshot('websocket-closed-1011');
      await clickInWebview(ws('#reconnect'));
    } else {
      await panel.reconnect();
    }
    await waitFor(() => panel.connection.status === 'open', 10_000, 'the new session');
    await panel.send('text', 'again');
    await waitFor(() => received(panel).some((entry) => entry.text === 'again'), 10_000, 'an echo on the new session');
    if (hasBrowser()) await waitFor(async () => (await queryWebviews(ws('#close-info[hidden]'))).length === 1, 10_000, 'the close notice to go once reconnected');
  });

  it('a connection dropped without a close frame reads 1006, connection lost', async () => {
    const panel = await openFromTree('echo');
    panels.push(panel);
    await emulatorControl('POST', 'faults', { match: { path: '/\\/websocket$/' }, times: 1, fault: { kind: 'ws-terminate', afterMessages: 1 } });
    await panel.reconnect();
    assert.equal(panel.connection.status, 'open');
    await panel.send('text', 'drop me');
    await waitFor(() => panel.connection.status === 'closed', 10_000, 'the drop');
    assert.equal(panel.connection.close?.code, 1006);
    assert.match(panel.connection.close?.explanation ?? '', /without a close frame/);
    if (hasBrowser()) await shown(ws('#close-info'), (texts) => /1006: Connection lost without a close frame/.test(texts[0] ?? ''), 'the 1006 in the page');
  });

  it('1009 and 1012 from the server read in Baseten\'s words: the 100 MiB limit, a restarting replica', async () => {
    const panel = await openFromTree('echo');
    panels.push(panel);
    for (const [code, words] of [[1009, /larger than allowed \(Baseten's limit is 100 MiB per message\)/], [1012, /The replica is restarting; reconnect/]] as const) {
      await emulatorControl('POST', 'faults', { match: { path: '/\\/websocket$/' }, times: 1, fault: { kind: 'ws-close', code, afterMessages: 0 } });
      await panel.reconnect();
      await waitFor(() => panel.connection.status === 'closed' && panel.connection.close?.code === code, 10_000, `the ${code} close`);
      assert.match(panel.connection.close?.explanation ?? '', words);
      if (hasBrowser()) await shown(ws('#close-info'), (texts) => texts[0]?.startsWith(`Closed with code ${code}: `) && words.test(texts[0]), `the ${code} in the page`);
    }
  });

  it('a fast stream reaches the page in batches and stays capped in the DOM, with a note of how many are hidden', async () => {
    const config = vscode.workspace.getConfiguration('baseten');
    await config.update('websocket.maxRenderedMessages', 40, vscode.ConfigurationTarget.Global);
    try {
      const panel = await openFromTree('llm');
      panels.push(panel);
      const postedBefore = panel.stats.posted;
      await panel.send('text', 'Stream please [[tokens:300]]');
      await waitFor(() => received(panel).some((entry) => entry.text === '[DONE]'), 30_000, 'the end of the stream');
      const stream = panel.transcript.entries.filter((entry) => entry.direction === 'received');
      const frames = stream.length;
      assert.ok(frames >= 300, `${frames} frames streamed`);
      // Batched: fewer messages than frames, and at most one per 50 ms of streaming however slowly the frames
      // came (a loaded machine stretches the emulator's 15 ms between frames, not the batcher's cap).
      const posted = panel.stats.posted - postedBefore;
      const streamingMs = stream[frames - 1].at - stream[0].at;
      assert.ok(posted < frames, `${posted} messages to the page for ${frames} frames`);
      assert.ok(posted <= Math.ceil(streamingMs / 50) + 3, `${posted} messages to the page in ${streamingMs} ms of streaming`);
      if (!hasBrowser()) return;
      const total = panel.transcript.length;
      await waitFor(async () => (await queryWebviews(ws('.entry.received .body'))).some((match) => match.text === '[DONE]'), 10_000, 'the page to show the end');
      assert.equal((await queryWebviews(ws('#transcript .entry'))).length, 40, 'only the last 40 entries are in the DOM');
      const note = await queryWebviews(ws('#hidden-note:not([hidden])'));
      assert.equal(note.length, 1);
      assert.match(note[0].html, new RegExp(`data-hidden="${total - 40}"`));
      assert.match(note[0].text, new RegExp(`${(total - 40).toLocaleString('en-US')} earlier messages are hidden`));
      await screenshot('websocket-capped');
    } finally {
      await config.update('websocket.maxRenderedMessages', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('exports the transcript as JSON lines; Clear empties it and keeps the connection', async () => {
    const panel = await openFromTree('echo');
    panels.push(panel);
    await panel.send('text', '{"x":1}');
    await waitFor(() => received(panel).length === 1, 10_000, 'the echo');
    const file = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'baseten-ws-')), 'transcript.jsonl'));
    await panel.exportTranscript(file);
    const lines = readFileSync(file.fsPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = lines.filter((line) => line.type === 'text');
    assert.deepEqual(messages.map((line) => [line.direction, line.text, line.size]).slice(-2), [['sent', '{"x":1}', 7], ['received', '{"x":1}', 7]]);
    assert.ok(lines.every((line) => typeof line.time === 'string' && !Number.isNaN(Date.parse(String(line.time)))));
    assert.ok(lines.some((line) => line.type === 'event' && /^Connected to /.test(String(line.text))));
    if (!hasBrowser()) return;
    await shown(ws('.entry.received'), (texts) => texts.length === 1, 'the echo in the page');
    await clickInWebview(ws('#clear'));
    await waitFor(() => panel.transcript.length === 0, 10_000, 'the transcript to clear');
    await shown(ws('.entry'), (texts) => texts.length === 0, 'an empty page');
    assert.equal(panel.connection.status, 'open', 'clearing keeps the connection');
  });

  it('a panel restored after a reload shows its transcript, disconnected, and Reconnect connects', async () => {
    const api = await extensionApi();
    // Saved by a version before TargetRef: the owner was `on` and a label was kept beside the target.
    const saved: Omit<SavedSession, 'target'> & { target: unknown } = {
      version: 1,
      target: { on: { kind: 'model', id: 'adyqnviz', name: 'echo' }, target: { kind: 'production' }, label: 'production of echo' },
      entries: [
        { id: 7, at: Date.now() - 5_000, direction: 'sent', kind: 'text', size: 14, text: 'before reload' },
        { id: 8, at: Date.now() - 4_000, direction: 'received', kind: 'text', size: 14, text: 'restored echo' },
      ],
      hidden: 12,
      autoScroll: true,
      mode: 'text',
      draft: '',
    };
    const webviewPanel = vscode.window.createWebviewPanel(WEBSOCKET_VIEW_TYPE, 'WebSocket', vscode.ViewColumn.Active);
    const panel = api.websocket.revive(webviewPanel, saved);
    assert.ok(panel);
    panels.push(panel);
    assert.equal(panel.connection.status, 'closed');
    assert.deepEqual(panel.transcript.entries.slice(0, 2).map((entry) => entry.text), ['before reload', 'restored echo']);
    if (hasBrowser()) {
      await shown(ws('.entry.received .body'), (texts) => texts.includes('restored echo'), 'the restored transcript');
      assert.equal((await queryWebviews(ws('#reconnect:not([hidden])'))).length, 1, 'Reconnect is offered');
      assert.equal((await queryWebviews(ws('#status')))[0].text, 'Disconnected');
      assert.match((await queryWebviews(ws('#hidden-note')))[0].text, /^12 earlier messages are hidden/);
      await clickInWebview(ws('#reconnect'));
    } else {
      await panel.connect();
    }
    await waitFor(() => panel.connection.status === 'open', 10_000, 'the restored panel to connect');
    assert.equal((await panel.send('text', 'after reload')), undefined);
    await waitFor(() => received(panel).some((entry) => entry.text === 'after reload'), 10_000, 'the echo after reload');
  });

  /** Runs the command as from the palette (no node), so that it shows its own quick pick, and picks the chain as a user would. */
  async function pickChainFromPalette(api: Awaited<ReturnType<typeof extensionApi>>): Promise<void> {
    const opening = vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket');
    // The one target picker, as every feature shows it: "echo · production", its status, its owner's id.
    await waitFor(async () => (await textsInUi('.quick-input-widget .monaco-list-row')).some((text) => text.includes('echo · production') && text.includes('Active')), 10_000, 'the pick to list the targets');
    await screenshot('target-pick');
    // Typed into the filter as a user would: the list holds every model's targets, the chain's below them.
    await fillInUi('.quick-input-widget input', 'pipeline · production');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("pipeline · production")');
    const panel = await opening;
    assert.ok(panel, 'a panel for the chain');
    panels.push(panel);
    assert.ok(api.websocket.open.includes(panel));
    assert.equal(panel.target.owner.kind, 'chain');
    await waitFor(() => panel.connection.status === 'open', 15_000, 'the chain session');
    assert.match(panel.connection.url ?? '', /\/chain-zmeo8xgu\/environments\/production\/websocket$/);
  }

  it('connects to the development deployment by its id; the command palette picks among the targets of models and chains', async () => {
    const api = await extensionApi();
    // The palette pick first: a panel opened just before would take the focus as its page loads, closing the pick.
    if (hasBrowser()) await pickChainFromPalette(api);
    const development = await targetNode('echo', 'development', 'development');
    const onDevelopment = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', development);
    assert.ok(onDevelopment, 'a panel for development');
    panels.push(onDevelopment);
    // Baseten documents no /development/websocket: the development deployment is reached at /deployment/{id}.
    await waitFor(() => onDevelopment.connection.status === 'open', 15_000, 'the development session to open');
    assert.match(onDevelopment.connection.url ?? '', new RegExp(`/model-adyqnviz/deployment/${development.state.deploymentId}/websocket$`));
    assert.equal(targetLabel(onDevelopment.target), `echo · development (${development.state.deploymentId})`);
  });
});
