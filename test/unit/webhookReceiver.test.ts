import * as assert from 'node:assert/strict';
import { Socket, connect } from 'node:net';
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

describe('WebhookReceiver facing the internet (through a tunnel)', function () {
  this.timeout(30_000);
  const MB = 1_000_000;
  let receiver: WebhookReceiver;
  let reported: WebhookRejection[];

  async function start(options: Partial<ConstructorParameters<typeof WebhookReceiver>[0]> = {}): Promise<URL> {
    reported = [];
    receiver = new WebhookReceiver({ port: 0, secrets: () => [SECRET], onDelivery: () => undefined, onRejected: (reason) => reported.push(reason), ...options });
    return new URL(await receiver.start());
  }
  afterEach(() => receiver?.stop());

  /** Sends headers, then `bytes` of body in 1 MB pieces as fast as the socket takes them; resolves with the status line (or how it ended). */
  function send(url: URL, headers: string[], bytes: number): Promise<{ status: string; wrote: number }> {
    return new Promise((resolve) => {
      const socket = connect(Number(url.port), '127.0.0.1');
      let wrote = 0;
      let answer = '';
      const piece = Buffer.alloc(MB, 'x');
      socket.on('data', (data) => (answer += String(data)));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ status: answer.split('\r\n')[0] || 'closed without an answer', wrote }));
      socket.write(`POST ${url.pathname} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${bytes}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`);
      const pump = (): void => {
        while (wrote < bytes && !socket.destroyed) {
          wrote += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
  }

  it('8 concurrent unsigned 60 MB bodies are refused from their headers: nothing read, memory flat', async () => {
    const url = await start();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const results = await Promise.all(Array.from({ length: 8 }, () => send(url, [], 60 * MB)));
    clearInterval(sampler);
    const growth = (peak - before) / (1024 * 1024);
    console.log(`      (8 × 60 MB unsigned: RSS grew ${growth.toFixed(0)} MiB; the senders got ${results.map((r) => r.wrote / MB).join(', ')} MB out before the socket closed)`);
    for (const result of results) assert.match(result.status, /^HTTP\/1\.1 401 |closed without an answer/);
    assert.ok(growth < 100, `RSS grew ${growth.toFixed(0)} MiB`);
    assert.equal(receiver.rejected.bad_signature, 8, 'each refusal counted');
    assert.ok(reported.length < 8, `anonymous refusals are reported at most once a second, not ${reported.length} times`);
  });

  it('a body declared over the cap is refused before it is read', async () => {
    const url = await start({ maxBodyBytes: 10 * MB });
    const result = await send(url, [`x-baseten-signature: v1=${'0'.repeat(64)}`], 60 * MB);
    assert.match(result.status, /^HTTP\/1\.1 413 /);
    assert.equal(receiver.rejected.too_large, 1);
  });

  it('a body that drips, and a connection that sends nothing, are closed at their timeouts', async () => {
    const url = await start({ timeoutsMs: { headers: 300, request: 600 } });
    const idle = connect(Number(url.port), '127.0.0.1');
    const drip = connect(Number(url.port), '127.0.0.1');
    drip.write(`POST ${url.pathname} HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\nx-baseten-signature: v1=${'0'.repeat(64)}\r\n\r\n`);
    const dripping = setInterval(() => drip.write('x'), 50);
    // Resolves with how long the receiver took to close the socket, or Infinity if it had not after 5 s.
    const closedAfter = (socket: Socket): Promise<number> =>
      new Promise((resolve) => {
        const started = Date.now();
        const giveUp = setTimeout(() => (resolve(Infinity), socket.destroy()), 5_000);
        // Read (and drop) what comes, or a paused socket would never see the receiver close it.
        socket.on('close', () => (clearTimeout(giveUp), resolve(Date.now() - started))).on('error', () => undefined).resume();
      });
    const [idleMs, dripMs] = await Promise.all([closedAfter(idle), closedAfter(drip)]);
    clearInterval(dripping);
    assert.ok(idleMs < 3_000, `the idle socket was closed after ${idleMs} ms`);
    assert.ok(dripMs < 3_000, `the dripping socket was closed after ${dripMs} ms`);
  });
});
