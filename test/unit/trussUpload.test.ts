import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BasetenClient, BasetenError, DeploymentStatusError, ModelUploadClient, jsonInput, s3EndpointFor } from '../../src/client';
import type { DeploymentArchivePayload } from '../../src/client';
import { buildArchive } from '../../src/features/truss/logic/archive';
import { blake3Hex, hashProjectFiles } from '../../src/features/truss/logic/contentHashes';
import { planPatch } from '../../src/features/truss/logic/patchPlan';
import { listProjectFiles } from '../../src/features/truss/logic/projectFiles';
import { readTrussConfig } from '../../src/features/truss/logic/trussConfig';
import { Emulator, caught, useEmulatorClient } from './helpers/client';
import { trussCopy } from './trussLogic.test';

async function packaged(root: string): Promise<{ archive: Buffer; payload: DeploymentArchivePayload }> {
  const files = await listProjectFiles(root);
  const configText = await fs.readFile(path.join(root, 'config.yaml'), 'utf8');
  return { archive: await buildArchive(root, files), payload: { config: readTrussConfig(configText).config, raw_config: configText, is_development: true } };
}

async function localTruss(root: string): Promise<Parameters<typeof planPatch>[1]> {
  const hashed = await hashProjectFiles(root, await listProjectFiles(root));
  const configText = await fs.readFile(path.join(root, 'config.yaml'), 'utf8');
  const read = readTrussConfig(configText);
  return { ...hashed, configText, config: read.config, requirements: read.requirements };
}

describe('Truss upload: prepare_model_upload → S3 → create deployment, against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;
  useEmulatorClient({ emulator: { wakeDelayMs: 100 } }, (current) => ({ emulator, client } = current));

  async function deployFixture(edit?: (root: string) => Promise<void>): Promise<{ root: string; modelId: string; deploymentId: string }> {
    const root = await trussCopy();
    await edit?.(root);
    const { archive, payload } = await packaged(root);
    const steps: string[] = [];
    const created = await client.uploads.push({ kind: 'new', name: 'hello-truss' }, payload, archive, { onStep: (step) => steps.push(step) });
    assert.deepEqual(steps, ['prepare', 'upload', 'create']);
    assert.equal(created.deployment.status, 'BUILDING');
    assert.equal(created.deployment.is_development, true);
    return { root, modelId: created.model.id, deploymentId: created.deployment.id };
  }

  it('a new model builds over time to ACTIVE and its development deployment runs the uploaded model.py', async () => {
    const { modelId, deploymentId } = await deployFixture();
    const seen: string[] = [];
    const active = await client.management.waitForDeploymentStatus(modelId, 'development', { until: (d) => d.status === 'ACTIVE', intervalMs: 10, onStatus: (d) => seen.push(d.status) });
    assert.equal(active.id, deploymentId);
    assert.ok(seen.includes('BUILDING'), seen.join());
    const answer = await client.inference.predict({ kind: 'model', id: modelId }, { kind: 'development' }, jsonInput({ name: 'Ada' }));
    assert.equal(answer.kind, 'json');
    assert.deepEqual(answer.kind === 'json' ? answer.value : undefined, { greeting: 'Hello, Ada!' });
  });

  it('the archive goes to S3 signed with the issued credentials, never with the Baseten key', async () => {
    await deployFixture();
    const uploads = emulator.stats.requests.filter((request) => request.path.startsWith('/s3/'));
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0].method, 'PUT');
    assert.equal(uploads[0].status, 200);
    assert.match(uploads[0].headers.authorization, /^AWS4-HMAC-SHA256 /);
    assert.ok(uploads[0].headers['x-amz-security-token'], 'the STS session token is sent');
    assert.ok(!JSON.stringify(uploads[0].headers).includes(emulator.apiKey));
  });

  it('the S3 stand-in refuses a wrong signature, and the client says so', async () => {
    const uploads = new ModelUploadClient(client.http, () => client.endpoints);
    const root = await trussCopy();
    const { archive, payload } = await packaged(root);
    const prepared = await uploads.prepare({ kind: 'new', name: 'tampered' }, payload);
    const error = await caught(() => uploads.upload({ ...prepared, creds: { ...prepared.creds, aws_secret_access_key: 'not-the-secret' } }, archive));
    assert.ok(error instanceof BasetenError);
    assert.equal(error.status, 403);
    assert.match(error.message, /SignatureDoesNotMatch/);
    // Nothing was stored: creating from that key is refused.
    const create = await caught(() => uploads.create({ kind: 'new', name: 'tampered' }, payload, prepared.s3_key));
    assert.equal((create as BasetenError).status, 400);
  });

  it('an impossible accelerator fails the build, with the reason in the deployment logs', async () => {
    const { modelId } = await deployFixture(async (root) => {
      const config = await fs.readFile(path.join(root, 'config.yaml'), 'utf8');
      await fs.writeFile(path.join(root, 'config.yaml'), config.replace('use_gpu: false', 'use_gpu: true\n  accelerator: H100:16'));
    });
    const error = await caught(() => client.management.waitForDeploymentStatus(modelId, 'development', { until: (d) => d.status === 'ACTIVE', intervalMs: 10 }));
    assert.ok(error instanceof DeploymentStatusError);
    assert.equal(error.deployment.status, 'BUILD_FAILED');
    const logs = emulator.state.models.find((model) => model.id === modelId)!.deployments[0].logs.map((line) => line.message).join('\n');
    assert.match(logs, /no instance type offers 16 H100 GPUs/);
  });

  it('the real S3 endpoint is AWS (from the region) unless the management API is on this machine', () => {
    assert.equal(s3EndpointFor({ managementBaseUrl: 'https://api.baseten.co/v1' }), undefined);
    assert.equal(s3EndpointFor({ managementBaseUrl: 'http://127.0.0.1:4321/management/v1' }), 'http://127.0.0.1:4321/s3');
    assert.equal(s3EndpointFor({ managementBaseUrl: 'https://127.0.0.1.evil.example/v1' }), undefined);
  });

  describe('live patches of the development deployment', () => {
    async function activeFixture(): Promise<{ root: string; modelId: string; deploymentId: string }> {
      const deployed = await deployFixture();
      await client.management.waitForDeploymentStatus(deployed.modelId, 'development', { until: (d) => d.status === 'ACTIVE', intervalMs: 10 });
      return deployed;
    }

    const greet = async (modelId: string): Promise<unknown> => {
      const answer = await client.inference.predict({ kind: 'model', id: modelId }, { kind: 'development' }, jsonInput({ name: 'Ada' }));
      return answer.kind === 'json' ? answer.value : undefined;
    };

    it('a changed model.py is sent as one model_code op and changes the answer, without a new deployment', async () => {
      const { root, modelId, deploymentId } = await activeFixture();
      const file = path.join(root, 'model', 'model.py');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('Hello', 'Howdy'));
      const local = await localTruss(root);
      let ops = 0;
      const outcome = await client.patches.patch(modelId, deploymentId, (base) => {
        const plan = planPatch(base, local);
        if (plan && 'ops' in plan) ops = plan.ops.length;
        return plan;
      });
      assert.equal(outcome.kind, 'applied');
      assert.equal(ops, 1);
      assert.deepEqual(await greet(modelId), { greeting: 'Howdy, Ada!' });
      assert.equal(emulator.stats.count({ method: 'POST', path: /\/prepare_model_upload$/ }), 1, 'no second upload');
      const again = await client.patches.patch(modelId, deploymentId, (base) => planPatch(base, local));
      assert.equal(again.kind, 'unchanged');
    });

    it('a stale base (409) is read again and the patch retried', async () => {
      const { root, modelId, deploymentId } = await activeFixture();
      const file = path.join(root, 'model', 'model.py');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('Hello', 'Hi'));
      const local = await localTruss(root);
      emulator.faults.add({ match: { method: 'POST', path: /\/patches$/ }, times: 1, fault: { kind: 'status', status: 409, body: { message: 'stale' } } });
      const outcome = await client.patches.patch(modelId, deploymentId, (base) => planPatch(base, local));
      assert.equal(outcome.kind, 'applied');
      assert.equal(outcome.kind === 'applied' ? outcome.attempts : 0, 2);
      assert.deepEqual(await greet(modelId), { greeting: 'Hi, Ada!' });
    });

    it('sync answering 503 is retried', async () => {
      const { root, modelId, deploymentId } = await activeFixture();
      const file = path.join(root, 'model', 'model.py');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('Hello', 'Hey'));
      const local = await localTruss(root);
      emulator.faults.add({ match: { method: 'POST', path: /\/patches\/sync$/ }, times: 1, fault: { kind: 'status', status: 503 } });
      const outcome = await client.patches.patch(modelId, deploymentId, (base) => planPatch(base, local));
      assert.equal(outcome.kind, 'applied');
      assert.deepEqual(await greet(modelId), { greeting: 'Hey, Ada!' });
    });

    it('a patch whose content does not match its declared hash is refused (400), and nothing changes', async () => {
      const { modelId, deploymentId } = await activeFixture();
      const state = await client.patches.state(modelId, deploymentId);
      const base = state.running_patch_point;
      const error = await caught(() =>
        client.patches.create(modelId, deploymentId, base.hash, base, [{ type: 'model_code', action: 'UPDATE', path: 'model.py', content: 'class Model:\n    def predict(self, x):\n        return 1\n' }]),
      );
      assert.equal((error as BasetenError).status, 400);
      assert.match((error as BasetenError).message, /hash/);
      assert.deepEqual(await greet(modelId), { greeting: 'Hello, Ada!' });
    });

    it('Baseten asking for a full deploy is reported with its reason', async () => {
      const { modelId, deploymentId } = await activeFixture();
      const state = await client.patches.state(modelId, deploymentId);
      const base = state.running_patch_point;
      const config = `${base.config}base_image:\n  image: python:3.11\n`;
      const outcome = await client.patches.patch(modelId, deploymentId, () => ({
        next: { ...base, config, content_hashes: { ...base.content_hashes, 'config.yaml': blake3Hex(Buffer.from(config)) } },
        ops: [{ type: 'config', config: {} }],
      }));
      assert.equal(outcome.kind, 'needs_full_deploy');
      assert.match(outcome.kind === 'needs_full_deploy' ? outcome.reason : '', /base_image/);
    });
  });
});
