/**
 * The calls the fault suites aim faults at, each with the emulator path it reaches and a way to run it to
 * the end (streams read whole), so one fault can be tried on every surface.
 */
import { SEED } from '../../../emulator';
import { BasetenClient, PRODUCTION, jsonInput } from '../../../src/client';
import type { Owner } from '../../../src/client';

export const CHAT_PATH = '/inference/v1/chat/completions';
export const CHAT = { model: 'zai-org/GLM-5.2', messages: [{ role: 'user' as const, content: '[[tokens:12]] hello' }] };

export const modelOf = (name: keyof typeof SEED.models): Pick<Owner, 'kind' | 'id'> => ({ kind: 'model', id: SEED.models[name].id });
export const predictPath = (name: keyof typeof SEED.models): string => `/model-${SEED.models[name].id}/production/predict`;

export interface Surface {
  name: string;
  path: string;
  /** Runs the call to its end, streams included. */
  run(client: BasetenClient, signal?: AbortSignal): Promise<unknown>;
  /** True when the answer is streamed (chat stream, SSE or chunked predict). */
  streamed: boolean;
  /** True when the call runs a model, so a failure that may come after it ran is not re-sent (retrySafety.ts). */
  mayRun: boolean;
}

export const SURFACES: readonly Surface[] = [
  { name: 'Model APIs list', path: '/inference/v1/models', streamed: false, mayRun: false, run: (client, signal) => client.modelApis.listModels({ signal }) },
  { name: 'management users/me', path: '/management/v1/users/me', streamed: false, mayRun: false, run: (client, signal) => client.management.me({ signal }) },
  { name: 'chat (whole)', path: CHAT_PATH, streamed: false, mayRun: true, run: (client, signal) => client.modelApis.chat(CHAT, { signal }) },
  {
    name: 'chat stream',
    path: CHAT_PATH,
    streamed: true,
    mayRun: true,
    run: async (client, signal) => (await client.modelApis.chatStream(CHAT, { signal })).final(),
  },
  {
    name: 'predict JSON',
    path: predictPath('echo'),
    streamed: false,
    mayRun: true,
    run: (client, signal) => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({ hello: 'world' }), { signal }),
  },
  {
    name: 'predict SSE',
    path: predictPath('sse'),
    streamed: true,
    mayRun: true,
    run: async (client, signal) => {
      const response = await client.inference.predict(modelOf('sse'), PRODUCTION, jsonInput({ events: 4 }), { signal });
      if (response.kind !== 'sse') throw new Error(`expected an SSE response, got ${response.kind}`);
      const data: string[] = [];
      for await (const event of response.events) data.push(event.data);
      return data;
    },
  },
  {
    name: 'predict chunked',
    path: predictPath('chunked'),
    streamed: true,
    mayRun: true,
    run: async (client, signal) => {
      const response = await client.inference.predict(modelOf('chunked'), PRODUCTION, jsonInput({ chunks: 4 }), { signal });
      if (response.kind !== 'stream') throw new Error(`expected a stream response, got ${response.kind}`);
      return response.text();
    },
  },
];
