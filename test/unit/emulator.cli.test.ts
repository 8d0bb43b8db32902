/**
 * `node out/emulator/cli.js`: the banner carries everything needed to point the extension at the
 * emulator, the server it starts speaks like Baseten, and Ctrl+C (SIGINT) stops it cleanly.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import type { BasetenEndpoints } from '../../src/client/urls';
import { DEMO_API_KEY, INVOKE_ONLY_API_KEY, SEED } from '../../emulator/state/seed';

// Compiled to out/test/unit/, beside out/emulator/cli.js.
const CLI = path.resolve(__dirname, '../../emulator/cli.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function runCli(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (running.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`CLI output never matched ${pattern}:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Emulator CLI', function () {
  this.timeout(20_000);
  const started: Running[] = [];

  afterEach(() => {
    for (const running of started.splice(0)) if (running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  function start(args: string[]): Running {
    const running = runCli(args);
    started.push(running);
    return running;
  }

  it('prints the base URL, both keys and the endpoints JSON, serves Baseten, and stops on Ctrl+C', async () => {
    const running = start(['--port', '0', '--fast', '--quiet']);
    const [, baseUrl] = await waitFor(running, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, json] = await waitFor(running, /Endpoints as JSON \(BasetenEndpoints\):\n(\{[\s\S]*?\n\})/);
    assert.ok(running.output().includes(DEMO_API_KEY));
    assert.ok(running.output().includes(INVOKE_ONLY_API_KEY));

    const endpoints = JSON.parse(json) as BasetenEndpoints;
    assert.deepEqual(endpoints, {
      modelApisBaseUrl: `${baseUrl}/inference/v1`,
      managementBaseUrl: `${baseUrl}/management/v1`,
      modelHostTemplate: `${baseUrl}/model-{id}`,
      chainHostTemplate: `${baseUrl}/chain-{id}`,
      dashboardUrl: `${baseUrl}/dashboard`,
    });

    const auth = { Authorization: `Bearer ${DEMO_API_KEY}` };
    const models = await fetch(`${endpoints.modelApisBaseUrl}/models`, { headers: auth });
    assert.equal(models.status, 200);
    const ids = ((await models.json()) as { data: { id: string }[] }).data.map((model) => model.id);
    for (const id of SEED.modelApis) assert.ok(ids.includes(id), `${id} listed`);

    const predictUrl = `${endpoints.modelHostTemplate.replace('{id}', SEED.models.echo.id)}/production/predict`;
    const predict = await fetch(predictUrl, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"hello":"cli"}' });
    assert.equal(predict.status, 200);
    assert.deepEqual(await predict.json(), { hello: 'cli' });

    running.child.kill('SIGINT');
    assert.equal(await running.exited, 0);
    assert.match(running.output(), /Stopping the emulator/);
    await assert.rejects(fetch(`${endpoints.modelApisBaseUrl}/models`, { headers: auth }), 'the port is closed');
  });

  it('listens on the port it is given and logs requests without the key', async () => {
    const free = await new Promise<number>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const running = start(['--port', String(free), '--fast']);
    await waitFor(running, new RegExp(`listening on http://127\\.0\\.0\\.1:${free}\\b`));
    const response = await fetch(`http://127.0.0.1:${free}/management/v1/users/me`, { headers: { Authorization: `Api-Key ${DEMO_API_KEY}` } });
    assert.equal(response.status, 200);
    await waitFor(running, /users\/me/);
    const afterBanner = running.output().slice(running.output().indexOf('Press Ctrl+C'));
    assert.ok(!afterBanner.includes(DEMO_API_KEY), 'request log lines never carry the key');
    running.child.kill('SIGTERM');
    assert.equal(await running.exited, 0);
  });

  it('--help prints the usage and exits 0; an unknown option exits 1 with the usage', async () => {
    const help = start(['--help']);
    assert.equal(await help.exited, 0);
    assert.match(help.output(), /Usage: node out\/emulator\/cli\.js/);
    assert.match(help.output(), /--port N/);

    const wrong = start(['--bogus']);
    assert.equal(await wrong.exited, 1);
    assert.match(wrong.output(), /Unknown option --bogus/);
  });
});
