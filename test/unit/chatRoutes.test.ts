import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { BasetenClient, BasetenError, PRODUCTION } from '../../src/client';
import type { ModelApi } from '../../src/client';
import { chatRouteFrom, isMissingRoute, noChatRouteMessage } from '../../src/features/chat/logic/chatRoutes';
import { useEmulatorClient } from './helpers/client';

async function probe(client: BasetenClient, name: 'echo' | 'llm' | 'transform'): Promise<{ listed: ModelApi[] } | { error: unknown }> {
  const owner = { kind: 'model' as const, id: SEED.models[name].id, name };
  return client.modelApis.listModels({ endpoint: { kind: 'deployment', owner, target: PRODUCTION } }).then(
    (listed) => ({ listed }),
    (error: unknown) => ({ error }),
  );
}

describe('which deployments serve chat', () => {
  let client: BasetenClient;
  useEmulatorClient({ fresh: 'suite' }, (current) => ({ client } = current));

  it('a deployed OpenAI-compatible server serves chat, under the name its /v1/models lists', async () => {
    assert.deepEqual(chatRouteFrom(await probe(client, 'llm'), 'llm'), { serves: true, servedName: 'llm' });
  });

  it('a model without the route (its server answers 404 on /v1/models) does not', async () => {
    for (const name of ['echo', 'transform'] as const) assert.deepEqual(chatRouteFrom(await probe(client, name), name), { serves: false }, name);
  });

  it("tells the model server's 404 from Baseten's own for a deployment that does not exist or is not active", () => {
    assert.equal(isMissingRoute(new BasetenError({ kind: 'http', status: 404, message: 'Not Found' })), true);
    assert.equal(isMissingRoute(new BasetenError({ kind: 'http', status: 404, code: 'model_does_not_exist', message: 'inactive' })), false);
    assert.equal(chatRouteFrom({ error: new BasetenError({ kind: 'timeout', message: 'timed out' }) }, 'x'), undefined, 'a timeout tells nothing');
  });

  it('a refusal names the route', () => {
    assert.match(noChatRouteMessage('echo'), /^echo has no OpenAI-compatible \/v1\/chat\/completions route/);
  });
});
