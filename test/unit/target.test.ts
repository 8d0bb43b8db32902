import * as assert from 'node:assert/strict';
import { DEVELOPMENT, PRODUCTION, deployment, environment, parseTargetRef, sameTarget, targetKey, targetLabel } from '../../src/client';

const echo = { kind: 'model' as const, id: 'adyqnviz', name: 'echo' };

describe('TargetRef', () => {
  it('production and environments/production are one target', () => {
    assert.equal(targetKey({ owner: echo, target: PRODUCTION }), targetKey({ owner: echo, target: environment('production') }));
    assert.ok(sameTarget({ owner: echo, target: PRODUCTION }, { owner: echo, target: environment('production') }));
  });

  it("a deployment's name does not make it another target; another owner or place does", () => {
    assert.ok(sameTarget({ owner: echo, target: deployment('t0kcumo', 'deployment-4') }, { owner: echo, target: deployment('t0kcumo') }));
    assert.ok(!sameTarget({ owner: echo, target: DEVELOPMENT }, { owner: echo, target: PRODUCTION }));
    assert.ok(!sameTarget({ owner: echo, target: PRODUCTION }, { owner: { ...echo, kind: 'chain' }, target: PRODUCTION }));
    assert.ok(!sameTarget({ owner: echo, target: PRODUCTION }, undefined));
  });

  it('is labelled one way everywhere', () => {
    assert.equal(targetLabel({ owner: echo, target: PRODUCTION }), 'echo · production');
    assert.equal(targetLabel({ owner: echo, target: environment('staging') }), 'echo · staging');
    assert.equal(targetLabel({ owner: echo, target: deployment('t0kcumo') }), 'echo · deployment t0kcumo');
    assert.equal(targetLabel({ owner: echo, target: deployment('t0kcumo', 'deployment-4') }), 'echo · deployment-4 (t0kcumo)');
  });

  it('loads state saved before TargetRef (owner as `on`, a label beside the target)', () => {
    assert.deepEqual(parseTargetRef({ on: echo, target: { kind: 'production' }, label: 'production' }), { owner: echo, target: PRODUCTION });
    assert.deepEqual(parseTargetRef({ on: { kind: 'model', id: 'adyqnviz' }, target: { kind: 'deployment', id: 't0kcumo' }, label: 'deployment-4' }), {
      owner: { kind: 'model', id: 'adyqnviz', name: 'adyqnviz' },
      target: { kind: 'deployment', id: 't0kcumo', name: 'deployment-4' },
    });
    assert.deepEqual(parseTargetRef({ owner: echo, target: { kind: 'environment', name: 'production' } }), { owner: echo, target: PRODUCTION });
  });

  it('refuses what is not a target: a path in an id, an unknown kind', () => {
    assert.equal(parseTargetRef({ owner: { kind: 'model', id: '../x' }, target: PRODUCTION }), undefined);
    assert.equal(parseTargetRef({ owner: echo, target: { kind: 'elsewhere' } }), undefined);
    assert.equal(parseTargetRef({ owner: echo, target: { kind: 'environment', name: '..' } }), undefined);
    assert.equal(parseTargetRef('production'), undefined);
  });
});
