/**
 * A management refusal told apart against the emulator's real keys: a wrong key (refused everywhere), an
 * invoke-only workspace key (refused by the management API alone), and other failures that say nothing
 * about the key.
 */
import * as assert from 'node:assert/strict';
import { BasetenClient, classifyKeyRefusal } from '../../src/client';
import { Emulator, caught, emulatorClient, startTestEmulator } from './helpers/client';

describe('Key refusals', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  const clients: BasetenClient[] = [];

  async function refusal(apiKey: string): Promise<string | undefined> {
    const client = emulatorClient(emulator, { apiKey });
    clients.push(client);
    const error = await caught(() => client.management.listModels());
    return classifyKeyRefusal(error, () => client.modelApis.listModels());
  }

  before(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(async () => {
    emulator.faults.clear();
    for (const client of clients.splice(0)) await client.destroy();
  });
  after(async () => {
    await emulator?.close();
  });

  it('a wrong key is refused by the management API (401) and by Model APIs: rejected', async () => {
    assert.equal(await refusal('abcd1234.NotAKeyAtAll000000000'), 'rejected');
  });

  it('an invoke-only key gets 403 from the management API: invoke-only, without asking Model APIs', async () => {
    const before = emulator.stats.count({ path: /\/inference\/v1\/models$/ });
    assert.equal(await refusal(emulator.invokeOnlyApiKey), 'invoke-only');
    assert.equal(emulator.stats.count({ path: /\/inference\/v1\/models$/ }), before);
  });

  it('a management 401 with a key Model APIs accept: invoke-only', async () => {
    emulator.faults.add({ match: { path: /\/management\/v1\/models$/ }, fault: { kind: 'status', status: 401, body: { message: 'Unauthorized' } } });
    assert.equal(await refusal(emulator.apiKey), 'invoke-only');
  });

  it('an outage is no refusal of the key', async () => {
    emulator.faults.add({ match: { path: /\/management\/v1\/models$/ }, fault: { kind: 'status', status: 500 } });
    assert.equal(await refusal(emulator.apiKey), undefined);
  });

  it('a probe cancelled by the caller stays a cancel, not a verdict on the key', async () => {
    const client = emulatorClient(emulator, { apiKey: 'abcd1234.NotAKeyAtAll000000000' });
    clients.push(client);
    const error = await caught(() => client.management.listModels());
    const controller = new AbortController();
    controller.abort();
    const outcome = await caught<{ kind?: string }>(() => classifyKeyRefusal(error, () => client.modelApis.listModels({ signal: controller.signal })));
    assert.equal(outcome.kind, 'aborted');
  });
});
