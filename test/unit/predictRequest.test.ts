import * as assert from 'node:assert/strict';
import { MAX_HISTORY_PAYLOAD_BYTES, addToHistory, historyEntry, readHistory, requestOf } from '../../src/features/predict/logic/history';
import { responseTitle } from '../../src/features/predict/logic/format';
import { targetLabel } from '../../src/client';
import { parseSavedRequest, requestFileName, savedRequestText } from '../../src/features/predict/logic/request';
import type { PredictRequest } from '../../src/features/predict/logic/request';

const request: PredictRequest = { owner: { kind: 'model', id: 'adyqnviz', name: 'echo' }, target: { kind: 'environment', name: 'staging' }, payload: { prompt: 'hi' } };

describe('predict requests and history', () => {
  it('a saved request file round-trips', () => {
    const parsed = parseSavedRequest(savedRequestText(request, 'Echo staging'));
    assert.deepEqual(parsed, { ok: true, name: 'Echo staging', request });
  });

  it('a request file saved before TargetRef (its owner under "on") still loads', () => {
    const parsed = parseSavedRequest('{"on": {"kind": "model", "id": "abc", "name": "echo"}, "target": {"kind": "environment", "name": "staging"}, "payload": {"x": 1}}');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request, { owner: { kind: 'model', id: 'abc', name: 'echo' }, target: { kind: 'environment', name: 'staging' }, payload: { x: 1 } });
  });

  it('a saved request without a target goes to production; a bad one says what is wrong', () => {
    const parsed = parseSavedRequest('{"owner": {"kind": "chain", "id": "zmeo8xgu"}, "payload": 1}');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request.target, { kind: 'production' });
    assert.equal(parsed.request.owner.name, 'zmeo8xgu');
    const bad = parseSavedRequest('{"owner": {"kind": "model", "id": "../x"}, "payload": 1}');
    assert.ok(!bad.ok && /"owner"/.test(bad.message));
    const noPayload = parseSavedRequest('{"owner": {"kind": "model", "id": "abc"}}');
    assert.ok(!noPayload.ok && /payload/.test(noPayload.message));
    const notJson = parseSavedRequest('{"on": ');
    assert.ok(!notJson.ok && /line 1/.test(notJson.message));
  });

  it('file names are slugs', () => {
    assert.equal(requestFileName('Echo: staging / "big" run!'), 'echo-staging-big-run.json');
    assert.equal(requestFileName('   '), 'request.json');
  });

  it('titles say the target and the response in Baseten words', () => {
    assert.equal(targetLabel(request), 'echo · staging');
    assert.equal(targetLabel({ ...request, target: { kind: 'deployment', id: 't0kcumo' } }), 'echo · deployment t0kcumo');
    assert.equal(
      responseTitle(request, { status: 200, ms: 85.4, size: 1536, requestId: '0123456789abcdef0123456789abcdef' }),
      'echo · staging · 200 · 85 ms · 1.5 KB · req 0123456789ab',
    );
    assert.equal(responseTitle(request, { status: 200 }), 'echo · staging · 200 · streaming…');
  });

  it('history is newest first, capped, and keeps no oversized payload', () => {
    let entries = readHistory(undefined);
    for (let i = 0; i < 5; i++) entries = addToHistory(entries, historyEntry(request, { id: `r${i}`, at: new Date(i).toISOString(), outcome: 'ok', status: 200 }), 3);
    assert.deepEqual(entries.map((e) => e.id), ['r4', 'r3', 'r2']);
    const big = historyEntry({ ...request, payload: { text: 'x'.repeat(MAX_HISTORY_PAYLOAD_BYTES) } }, { id: 'big', at: 'now', outcome: 'ok' });
    assert.equal('payload' in big, false);
    assert.ok(big.payloadBytes > MAX_HISTORY_PAYLOAD_BYTES);
    assert.equal(requestOf(big), undefined);
    assert.deepEqual(requestOf(entries[0]), request);
  });

  it('reading history drops malformed entries', () => {
    const good = historyEntry(request, { id: 'ok', at: 'now', outcome: 'ok' });
    assert.deepEqual(readHistory([good, null, { id: 1 }, { ...good, owner: { kind: 'x' } }, 'junk']), [good]);
    assert.deepEqual(readHistory({ not: 'a list' }), []);
  });
});
