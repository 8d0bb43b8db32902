import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import { BasetenClient, Owner, PRODUCTION, WebhookDelivery, WebhookReceiver, WebhookRejection, signWebhookBody, verifyWebhookSignature } from '../../src/client';
import { Emulator, eventually, startEmulatorClient } from './helpers/client';

const SECRET = 'whsec_AbCdEf123456GhIjKlMnOpQrStUvWxYz12345678';
const OLD_SECRET = 'whsec_OldOldOld123456GhIjKlMnOpQrStUvWxYz1234';
const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };

describe('Webhook signatures', () => {
  const body = JSON.stringify({ request_id: 'abc', data: { output: { x: 1 } }, errors: [] });

  it('accepts the HMAC-SHA256 of the raw body under the secret', () => {
    assert.ok(verifyWebhookSignature(body, signWebhookBody(SECRET, body), [SECRET]));
    assert.ok(verifyWebhookSignature(Buffer.from(body), signWebhookBody(SECRET, body).toUpperCase().replace('V1=', 'v1='), [SECRET]), 'hex in any case');
  });

  it('rejects a forged signature, a changed body, a missing header and an empty secret', () => {
    assert.equal(verifyWebhookSignature(body, signWebhookBody('whsec_forger', body), [SECRET]), false);
    assert.equal(verifyWebhookSignature(`${body} `, signWebhookBody(SECRET, body), [SECRET]), false);
    assert.equal(verifyWebhookSignature(body, undefined, [SECRET]), false);
    assert.equal(verifyWebhookSignature(body, '', [SECRET]), false);
    assert.equal(verifyWebhookSignature(body, signWebhookBody('', body), ['']), false);
    assert.equal(verifyWebhookSignature(body, signWebhookBody(SECRET, body), []), false);
  });

  it('ignores entries that are not v1= or not 64 hex digits', () => {
    const good = signWebhookBody(SECRET, body).slice(3);
    assert.equal(verifyWebhookSignature(body, `v0=${good}`, [SECRET]), false);
    assert.equal(verifyWebhookSignature(body, good, [SECRET]), false, 'no scheme');
    assert.equal(verifyWebhookSignature(body, `v1=${good.slice(0, 62)}`, [SECRET]), false, 'truncated');
    assert.equal(verifyWebhookSignature(body, `v1=${good}zz`, [SECRET]), false, 'trailing junk');
  });

  it('checks every v1= entry against every secret (rotation: v1=new,v1=old)', () => {
    const rotating = `${signWebhookBody(SECRET, body)},${signWebhookBody(OLD_SECRET, body)}`;
    assert.ok(verifyWebhookSignature(body, rotating, [SECRET]), 'the new secret matches the first entry');
    assert.ok(verifyWebhookSignature(body, rotating, [OLD_SECRET]), 'the old secret matches the second entry');
    assert.ok(verifyWebhookSignature(body, `v1=${'0'.repeat(64)}, ${signWebhookBody(SECRET, body)}`, [SECRET]), 'a match in second place, with a space');
    assert.ok(verifyWebhookSignature(body, [signWebhookBody('whsec_x', body), signWebhookBody(SECRET, body)], [SECRET]), 'two headers');
    assert.equal(verifyWebhookSignature(body, `v1=${'0'.repeat(64)},v1=${'1'.repeat(64)}`, [SECRET, OLD_SECRET]), false);
  });
});

describe('WebhookReceiver against the emulator', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  let receiver: WebhookReceiver;
  let deliveries: WebhookDelivery[];
  let rejections: WebhookRejection[];
  let secrets: string[];

  beforeEach(async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 20, queueSecondsScale: 50, webhookSecret: SECRET }));
    deliveries = [];
    rejections = [];
    secrets = [SECRET];
    receiver = new WebhookReceiver({ port: 0, secrets: () => secrets, onDelivery: (d) => deliveries.push(d), onRejected: (reason) => rejections.push(reason) });
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    await client.destroy();
    await emulator.close();
  });

  it('listens on 127.0.0.1 only', () => {
    assert.match(receiver.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/baseten\/webhook$/);
  });

  it("accepts the emulator's signed delivery and hands on the model output", async () => {
    const { requestId } = await client.inference.asyncPredict(echo, PRODUCTION, { model_input: { hello: 'webhook' }, webhook_endpoint: receiver.url });
    await eventually(() => deliveries.length === 1, 5_000, 'the delivery');
    assert.equal(deliveries[0].requestId, requestId);
    assert.deepEqual(deliveries[0].payload.data, { output: { hello: 'webhook' } });
    await eventually(async () => (await client.inference.asyncStatus(echo, requestId)).webhook_status === 'SUCCEEDED', 3_000, 'webhook_status SUCCEEDED');
    assert.equal((await client.inference.asyncStatus(echo, requestId)).status, 'SUCCEEDED');
  });

  it('rejects a delivery signed with another secret with 401, which Baseten records as WEBHOOK_FAILED', async () => {
    secrets = ['whsec_notTheOneBasetenUses'];
    const { requestId } = await client.inference.asyncPredict(echo, PRODUCTION, { model_input: { x: 1 }, webhook_endpoint: receiver.url });
    await eventually(async () => (await client.inference.asyncStatus(echo, requestId)).status === 'WEBHOOK_FAILED', 5_000, 'WEBHOOK_FAILED');
    assert.equal(deliveries.length, 0);
    assert.deepEqual(rejections, ['bad_signature']);
  });

  it('answers forged, unsigned and rotated deliveries over HTTP as Baseten would need', async () => {
    const body = JSON.stringify({ request_id: 'r1', deployment_id: 'd', type: 'async_request_completed', time: new Date().toISOString(), data: { output: 1 }, errors: [] });
    const post = (headers: Record<string, string>, payload = body): Promise<Response> =>
      fetch(receiver.url as string, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    assert.equal((await post({ 'x-baseten-signature': signWebhookBody('whsec_forged', body) })).status, 401, 'forged');
    assert.equal((await post({})).status, 401, 'unsigned');
    assert.equal((await post({ 'x-baseten-signature': signWebhookBody(SECRET, body) }, body.replace('"output":1', '"output":2'))).status, 401, 'body changed after signing');
    assert.equal(deliveries.length, 0, 'nothing forged was handed on');
    secrets = [SECRET, OLD_SECRET];
    const rotated = `v1=${'ab'.repeat(32)},${signWebhookBody(OLD_SECRET, body)}`;
    assert.equal((await post({ 'x-baseten-signature': rotated })).status, 200, 'rotation: the second entry matches the old secret');
    assert.equal(deliveries.length, 1);
    assert.equal((await fetch(receiver.url as string)).status, 405);
    assert.equal((await fetch(`${receiver.url}/../other`, { method: 'POST', body })).status, 404);
    secrets = [];
    assert.equal((await post({ 'x-baseten-signature': signWebhookBody(SECRET, body) })).status, 503, 'no secret: nothing can be verified');
  });
});
