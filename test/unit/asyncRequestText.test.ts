import * as assert from 'node:assert/strict';
import type { AsyncRequest } from '../../src/features/async/logic/asyncRequest';
import { requestStatusText, webhookFailure } from '../../src/features/async/logic/requestText';

const RECEIVER = 'http://127.0.0.1:8788/baseten/webhook';

function request(fields: Partial<AsyncRequest>): AsyncRequest {
  return {
    owner: { kind: 'model', id: 'adyqnviz', name: 'echo' },
    target: { kind: 'production' },
    requestId: '0123456789abcdef0123456789abcdef',
    submittedAt: 0,
    status: 'QUEUED',
    webhookStatus: 'PENDING',
    errors: [],
    ...fields,
  };
}

describe('async request text', () => {
  it('gives one status text in words, never an enum name', () => {
    assert.equal(requestStatusText(request({ status: 'QUEUED' })), 'Queued');
    assert.equal(requestStatusText(request({ status: 'SUCCEEDED', webhookStatus: 'SUCCEEDED', webhookEndpoint: RECEIVER, output: { receivedAt: 1, output: 1, errors: [], persisted: true } })), 'Succeeded, output received');
    assert.equal(requestStatusText(request({ status: 'SUCCEEDED', webhookStatus: 'NO_WEBHOOK_PROVIDED' })), 'Succeeded, no webhook');
    assert.equal(requestStatusText(request({ status: 'FAILED', errors: [{ code: 'MODEL_PREDICT_ERROR', message: 'boom' }] })), 'Failed: the model raised an error');
    assert.equal(requestStatusText(request({ status: 'EXPIRED' })), 'Expired in the queue');
    assert.equal(requestStatusText(request({ status: 'WEBHOOK_FAILED', webhookStatus: 'FAILED', webhookEndpoint: RECEIVER, webhookRejection: 'bad_signature' })), 'Webhook failed: bad signature');
  });

  it('says why a webhook failed: refused by the receiver, nothing answering, or a remote endpoint', () => {
    const failed = { status: 'WEBHOOK_FAILED', webhookStatus: 'FAILED' } as const;
    assert.equal(webhookFailure(request({ ...failed, webhookEndpoint: RECEIVER, webhookRejection: 'bad_signature' }))?.fix, 'setSecret');
    const receiverDown = webhookFailure(request({ ...failed, webhookEndpoint: RECEIVER }));
    assert.equal(receiverDown?.short, 'unreachable');
    assert.equal(receiverDown?.fix, 'startReceiver');
    const otherLocal = webhookFailure(request({ ...failed, webhookEndpoint: 'http://127.0.0.1:9/hook' }));
    assert.equal(otherLocal?.short, 'unreachable');
    assert.equal(otherLocal?.fix, undefined, 'not the receiver: starting it would not help');
    assert.equal(webhookFailure(request({ ...failed, webhookEndpoint: 'https://example.com/hook' }))?.short, 'not delivered');
    assert.equal(webhookFailure(request({ status: 'SUCCEEDED', webhookStatus: 'SUCCEEDED' })), undefined);
  });
});
