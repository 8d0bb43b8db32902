import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { DeploymentCatalog, EveryTarget } from '../../src/catalog/deploymentCatalog';
import { BasetenClient, classifyKeyRefusal, targetLabel } from '../../src/client';
import { deploymentsText } from '../../src/features/lm/logic/deploymentsText';
import { resolveTarget } from '../../src/features/lm/logic/targetQuery';
import { ToolInputError, readAsyncStatusInput, readAsyncSubmitInput, readCallInput, readListInput } from '../../src/features/lm/logic/toolInputs';
import { Emulator, emulatorClient, startTestEmulator } from './helpers/client';

describe('language-model tools: naming targets, listing deployments, checking inputs (over the emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;
  let every: EveryTarget;

  before(async () => {
    emulator = await startTestEmulator();
    client = emulatorClient(emulator);
    const catalog = new DeploymentCatalog({
      management: () => client.management,
      refusal: (error, signal) => classifyKeyRefusal(error, () => client.modelApis.listModels({ signal })),
      configured: () => [],
      pollMs: () => 60_000,
    });
    every = await catalog.everyTarget();
    catalog.dispose();
  });
  after(async () => {
    await client?.destroy();
    await emulator?.close();
  });

  const resolved = (model: string, target?: string): string => {
    const result = resolveTarget(every.listed, { model, target });
    return result.target ? targetLabel(result.target) : `problem: ${result.problem}`;
  };

  it('finds a model by name (any case) or ID, at production by default', () => {
    const production = resolved('echo');
    assert.equal(resolved('ECHO'), production);
    assert.equal(resolved(SEED.models.echo.id), production);
    assert.equal(resolveTarget(every.listed, { model: 'echo' }).target?.target.kind, 'production');
  });

  it('finds an environment, development, and a deployment by name, ID or path', () => {
    const staging = resolveTarget(every.listed, { model: 'echo', target: 'staging' }).target;
    assert.deepEqual(staging?.target, { kind: 'environment', name: 'staging' });
    assert.equal(resolveTarget(every.listed, { model: 'echo', target: 'development' }).target?.target.kind, 'development');
    const byName = resolveTarget(every.listed, { model: 'echo', target: 'deployment-2' }).target;
    assert.equal(byName?.target.kind, 'deployment');
    const id = byName?.target.kind === 'deployment' ? byName.target.id : '';
    assert.equal(resolveTarget(every.listed, { model: 'echo', target: id }).target, byName);
    assert.equal(resolveTarget(every.listed, { model: 'echo', target: `deployment/${id}` }).target, byName);
    assert.equal(resolveTarget(every.listed, { model: 'echo', target: 'environments/production' }).target?.target.kind, 'production');
  });

  it('names what exists when the model or the target is wrong', () => {
    assert.match(resolved('ehco'), /^problem: There is no model or chain named "ehco"\. Known: .*"echo"/);
    assert.match(resolved('echo', 'prod'), /^problem: echo has no environment or deployment "prod"\. It has: "production", "staging", "development"/);
    assert.match(resolved(' '), /^problem: Name the model or chain/);
  });

  it('lists every model and chain with each target, its status in words and what it can do', () => {
    const listing = deploymentsText(every);
    assert.match(listing, /^Models \(\d+\):\n- binary \(model, ID \w+\)/);
    assert.match(listing, new RegExp(`- echo \\(model, ID ${SEED.models.echo.id}\\)\\n  - production: Active, 1 replica, serves deployment deployment-4`));
    assert.match(listing, /  - deployment-2 \(\w+\): Build failed, 0 replicas, .*cannot answer requests/);
    assert.match(listing, /- sleepy \(model, ID \w+\)\n  - production: Scaled to zero, 0 replicas, .*wakes on the first request/);
    assert.match(listing, /\n\nChains \(1\):\n- pipeline \(chain, ID \w+\)/);
    assert.doesNotMatch(listing, /SCALED_TO_ZERO|BUILD_FAILED|undefined/);
    assert.match(deploymentsText(every, 'Echo'), /^Models \(1\):\n- echo /);
    assert.match(deploymentsText(every, 'nothing'), /There is no model or chain named "nothing"/);
  });

  it('refuses a bad input with one sentence that says what to send', () => {
    const refusal = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        assert.ok(error instanceof ToolInputError, String(error));
        return error.message;
      }
      return 'accepted';
    };
    assert.equal(refusal(() => readListInput(undefined)), 'accepted');
    assert.match(refusal(() => readCallInput({ input: {} })), /^"model" is required: the model or chain, by name or ID/);
    assert.match(refusal(() => readCallInput({ model: 'echo' })), /^"input" is required: the JSON the deployment receives/);
    assert.match(refusal(() => readCallInput({ model: 7, input: {} })), /^"model" must be a string\.$/);
    assert.match(refusal(() => readCallInput('echo')), /^The tool input must be a JSON object\.$/);
    assert.equal(readCallInput({ model: 'echo', input: 'plain text' }).input, 'plain text');
    assert.match(refusal(() => readAsyncSubmitInput({ model: 'echo', input: [1] })), /^"input" must be a JSON object/);
    assert.match(refusal(() => readAsyncSubmitInput({ model: 'echo', input: {}, priority: 5 })), /priority/);
    assert.match(refusal(() => readAsyncSubmitInput({ model: 'echo', input: {}, maxTimeInQueueSeconds: 1 })), /"maxTimeInQueueSeconds"/);
    assert.match(refusal(() => readAsyncSubmitInput({ model: 'echo', input: {}, deliverOutput: 'yes' })), /"deliverOutput" must be true or false/);
    assert.match(refusal(() => readAsyncStatusInput({ requestId: '../x' })), /is not an async request ID/);
  });
});
