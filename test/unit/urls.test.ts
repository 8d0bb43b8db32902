/**
 * Every URL the client builds: targets, regional hosts, chains, async requests, WebSockets, sync routes,
 * the management API, custom host templates, and IDs that must be refused before anything is sent.
 */
import * as assert from 'node:assert/strict';
import {
  BasetenEndpoints,
  DEFAULT_ENDPOINTS,
  DEVELOPMENT,
  Owner,
  PRODUCTION,
  Target,
  actionUrl,
  asyncPredictAction,
  asyncRequestUrl,
  dashboardModelUrl,
  deployment,
  environment,
  hostUrl,
  managementResourceUrl,
  managementUrl,
  modelApisUrl,
  openAiCompatibleBaseUrl,
  predictAction,
  regional,
  targetPath,
  websocketUrl,
} from '../../src/client';

const model: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: 'abcd1234' };
const chain: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: 'wx4g5r5q' };
const D = DEFAULT_ENDPOINTS;

describe('URLs', () => {
  describe('model targets on the default hosts', () => {
    const cases: Array<[string, Target, string]> = [
      ['production', PRODUCTION, 'https://model-abcd1234.api.baseten.co/production/predict'],
      ['an environment', environment('staging'), 'https://model-abcd1234.api.baseten.co/environments/staging/predict'],
      ['development', DEVELOPMENT, 'https://model-abcd1234.api.baseten.co/development/predict'],
      ['a deployment', deployment('qvvndvx'), 'https://model-abcd1234.api.baseten.co/deployment/qvvndvx/predict'],
      ['a regional environment (environment in the host, bare path)', regional('production'), 'https://model-abcd1234-production.api.baseten.co/predict'],
    ];
    for (const [name, target, url] of cases) {
      it(`predict on ${name}`, () => assert.equal(actionUrl(D, model, target, predictAction(model)), url));
    }

    it('every action on production', () => {
      for (const action of ['predict', 'async_predict', 'async_queue_status', 'wake'] as const) {
        assert.equal(actionUrl(D, model, PRODUCTION, action), `https://model-abcd1234.api.baseten.co/production/${action}`);
      }
    });

    it('regional hosts serve every action at the root', () => {
      for (const action of ['predict', 'async_predict', 'async_queue_status', 'wake', 'websocket'] as const) {
        assert.equal(actionUrl(D, model, regional('eu-west'), action), `https://model-abcd1234-eu-west.api.baseten.co/${action}`);
      }
      assert.equal(targetPath(regional('x')), '');
    });
  });

  describe('chains', () => {
    it('run_remote and async_run_remote replace predict and async_predict', () => {
      assert.equal(predictAction(chain), 'run_remote');
      assert.equal(asyncPredictAction(chain), 'async_run_remote');
      assert.equal(asyncPredictAction(model), 'async_predict');
      assert.equal(actionUrl(D, chain, PRODUCTION, predictAction(chain)), 'https://chain-wx4g5r5q.api.baseten.co/production/run_remote');
      assert.equal(actionUrl(D, chain, environment('staging'), 'async_run_remote'), 'https://chain-wx4g5r5q.api.baseten.co/environments/staging/async_run_remote');
      assert.equal(actionUrl(D, chain, deployment('abc1234'), 'run_remote'), 'https://chain-wx4g5r5q.api.baseten.co/deployment/abc1234/run_remote');
      assert.equal(actionUrl(D, chain, regional('prod'), 'run_remote'), 'https://chain-wx4g5r5q-prod.api.baseten.co/run_remote');
    });
  });

  describe('async requests', () => {
    it('status and cancel live at the host root, without a target, for models and chains', () => {
      assert.equal(asyncRequestUrl(D, model, 'f2d9a6c4'), 'https://model-abcd1234.api.baseten.co/async_request/f2d9a6c4');
      assert.equal(asyncRequestUrl(D, chain, 'f2d9a6c4'), 'https://chain-wx4g5r5q.api.baseten.co/async_request/f2d9a6c4');
    });

    it('encodes a request id that came back from the server', () => {
      assert.equal(asyncRequestUrl(D, model, 'a/b?c#d'), 'https://model-abcd1234.api.baseten.co/async_request/a%2Fb%3Fc%23d');
    });
  });

  describe('WebSockets', () => {
    it('use wss on environments, deployments and regional hosts', () => {
      assert.equal(websocketUrl(D, model, environment('production')), 'wss://model-abcd1234.api.baseten.co/environments/production/websocket');
      // Baseten documents no /production/websocket; production is the environment of that name.
      assert.equal(websocketUrl(D, model, PRODUCTION), 'wss://model-abcd1234.api.baseten.co/environments/production/websocket');
      assert.equal(websocketUrl(D, model, deployment('qvvndvx')), 'wss://model-abcd1234.api.baseten.co/deployment/qvvndvx/websocket');
      assert.equal(websocketUrl(D, model, regional('prod')), 'wss://model-abcd1234-prod.api.baseten.co/websocket');
      assert.equal(websocketUrl(D, chain, environment('production')), 'wss://chain-wx4g5r5q.api.baseten.co/environments/production/websocket');
    });

    it('use ws on a plain-http host (the emulator)', () => {
      const local: BasetenEndpoints = { ...D, modelHostTemplate: 'http://127.0.0.1:4000/model-{id}' };
      assert.equal(websocketUrl(local, model, environment('staging')), 'ws://127.0.0.1:4000/model-abcd1234/environments/staging/websocket');
    });

    it('are refused on the development target', () => {
      assert.throws(() => websocketUrl(D, model, DEVELOPMENT), /not on the development target/);
    });
  });

  describe('sync routes (a deployment\'s own server)', () => {
    it('reach any route under …/sync/', () => {
      assert.equal(actionUrl(D, model, environment('production'), 'sync/v1/chat/completions'), 'https://model-abcd1234.api.baseten.co/environments/production/sync/v1/chat/completions');
      assert.equal(actionUrl(D, model, deployment('qvvndvx'), 'sync/health'), 'https://model-abcd1234.api.baseten.co/deployment/qvvndvx/sync/health');
      assert.equal(actionUrl(D, model, regional('prod'), 'sync/v1/models'), 'https://model-abcd1234-prod.api.baseten.co/sync/v1/models');
    });

    it('give an OpenAI base URL', () => {
      assert.equal(openAiCompatibleBaseUrl(D, model, environment('production')), 'https://model-abcd1234.api.baseten.co/environments/production/sync/v1');
    });
  });

  describe('Model APIs, management and dashboard', () => {
    it('join paths with exactly one slash', () => {
      assert.equal(modelApisUrl(D, 'chat/completions'), 'https://inference.baseten.co/v1/chat/completions');
      assert.equal(modelApisUrl({ ...D, modelApisBaseUrl: 'http://127.0.0.1:9/inference/v1/' }, '/models'), 'http://127.0.0.1:9/inference/v1/models');
      assert.equal(managementUrl(D, '/users/me'), 'https://api.baseten.co/v1/users/me');
      assert.equal(managementUrl({ ...D, managementBaseUrl: 'https://api.baseten.co/v1/' }, 'models'), 'https://api.baseten.co/v1/models');
    });

    it('encode each management path segment', () => {
      assert.equal(managementResourceUrl(D, 'models', 'abcd1234', 'environments', 'my env/x'), 'https://api.baseten.co/v1/models/abcd1234/environments/my%20env%2Fx');
    });

    it('link to the dashboard', () => {
      assert.equal(dashboardModelUrl(D, model), 'https://app.baseten.co/models/abcd1234/overview');
      assert.equal(dashboardModelUrl({ ...D, dashboardUrl: 'https://app.baseten.co/' }, chain), 'https://app.baseten.co/chains/wx4g5r5q/overview');
    });
  });

  describe('custom host templates', () => {
    const local: BasetenEndpoints = {
      ...D,
      modelHostTemplate: 'http://127.0.0.1:4000/model-{id}/',
      chainHostTemplate: 'http://127.0.0.1:4000/chain-{id}',
    };

    it('put the id (and a regional environment) where {id} is', () => {
      assert.equal(hostUrl(local, model), 'http://127.0.0.1:4000/model-abcd1234');
      assert.equal(actionUrl(local, model, PRODUCTION, 'predict'), 'http://127.0.0.1:4000/model-abcd1234/production/predict');
      assert.equal(actionUrl(local, model, regional('staging'), 'wake'), 'http://127.0.0.1:4000/model-abcd1234-staging/wake');
      assert.equal(actionUrl(local, chain, PRODUCTION, 'run_remote'), 'http://127.0.0.1:4000/chain-wx4g5r5q/production/run_remote');
      assert.equal(asyncRequestUrl(local, chain, 'r1'), 'http://127.0.0.1:4000/chain-wx4g5r5q/async_request/r1');
    });

    it('must contain {id}', () => {
      assert.throws(() => hostUrl({ ...D, modelHostTemplate: 'https://example.com' }, model), /must contain \{id\}/);
    });
  });

  describe('refused before anything is sent', () => {
    const badIds = ['', 'a/b', '../x', 'a b', 'abc?x=1', 'abc#frag', 'a.b', 'ab%2F', 'mödel', 'a\nb'];
    for (const id of badIds) {
      it(`model/chain id ${JSON.stringify(id)}`, () => {
        assert.throws(() => actionUrl(D, { kind: 'model', id }, PRODUCTION, 'predict'), TypeError);
        assert.throws(() => asyncRequestUrl(D, { kind: 'chain', id }, 'r'), TypeError);
      });
    }

    it('deployment ids and environment names that would change the path', () => {
      for (const id of ['', 'x/y', '..', 'a b', 'q?x']) {
        assert.throws(() => actionUrl(D, model, deployment(id), 'predict'), TypeError, `deployment ${JSON.stringify(id)}`);
      }
      for (const name of ['', 'a/b', '.', '..', 'a b', 'x?y', 'x#y']) {
        assert.throws(() => actionUrl(D, model, environment(name), 'predict'), TypeError, `environment ${JSON.stringify(name)}`);
        assert.throws(() => actionUrl(D, model, regional(name), 'predict'), TypeError, `regional ${JSON.stringify(name)}`);
      }
    });

    it('a regional environment name with a dot, which would change the host', () => {
      assert.throws(() => actionUrl(D, model, regional('us.east'), 'predict'), TypeError);
      // On a path, a dotted name is only a name.
      assert.equal(actionUrl(D, model, environment('v1.2'), 'predict'), 'https://model-abcd1234.api.baseten.co/environments/v1.2/predict');
    });
  });
});
