/** The chat target picker's deployed-model choices, read from the emulator's management API. */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { deployedChoices } from '../../src/features/chat/logic/deployedTargets';
import { BasetenClient } from '../../src/client';
import { Emulator, emulatorClient, useEmulatorClient } from './helpers/client';

describe('chat targets of deployed models', () => {
  let emulator: Emulator;
  let client: BasetenClient;

  useEmulatorClient({ fresh: 'suite' }, (current) => ({ emulator, client } = current));

  async function model(name: string) {
    const found = (await client.management.listModels()).find((candidate) => candidate.name === name);
    assert.ok(found, name);
    return found;
  }

  it("offers every environment (the default first) and the development deployment", async () => {
    const echo = await model('echo');
    const choices = await deployedChoices(client.management, echo, 'staging');
    assert.deepEqual(choices.map((choice) => [choice.where, choice.kind, choice.target]), [
      ['staging', 'environment', { kind: 'environment', name: 'staging' }],
      ['production', 'environment', { kind: 'production' }],
      ['development', 'development', { kind: 'development' }],
    ]);
    assert.ok(choices.every((choice) => choice.on.id === SEED.models.echo.id && choice.name === 'echo'));
    const byDefault = await deployedChoices(client.management, echo, 'production');
    assert.deepEqual(byDefault.map((choice) => choice.where), ['production', 'staging', 'development']);
  });

  it('a model without a development deployment is offered at its environments only', async () => {
    const llm = await model('llm');
    assert.deepEqual((await deployedChoices(client.management, llm, 'production')).map((choice) => choice.where), ['production']);
  });

  it('a model whose environments cannot be read is offered at the default environment', async () => {
    const invokeOnly = emulatorClient(emulator, { apiKey: SEED.invokeOnlyApiKey });
    const choices = await deployedChoices(invokeOnly.management, { id: SEED.models.llm.id, name: 'llm' }, 'production');
    assert.deepEqual(choices.map((choice) => [choice.where, choice.target]), [['production', { kind: 'production' }]]);
  });
});
