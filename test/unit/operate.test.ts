/**
 * Metrics, promotion and autoscaling: the client calls against the emulator (which computes metrics from the
 * traffic it served, promotes over time and scales to zero by the settings), and the range checks.
 */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import {
  AUTOSCALING_RANGES,
  BasetenClient,
  BasetenError,
  PRODUCTION,
  autoscalingChanges,
  autoscalingErrors,
  autoscalingValueError,
  currentAutoscaling,
  jsonInput,
  promotionOf,
  readDeploymentMetrics,
} from '../../src/client';
import { Emulator, caught, eventually, useEmulatorClient } from './helpers/client';

const echo = SEED.models.echo;
const failing = SEED.models.failing;
const sleepy = SEED.models.sleepy;
const owner = (model: { id: string }) => ({ kind: 'model' as const, id: model.id });

describe('Metrics (client over the emulator)', function () {
  this.timeout(15_000);
  let client: BasetenClient;
  useEmulatorClient({ emulator: { wakeDelayMs: 0 } }, (current) => ({ client } = current));

  it('a SERIES over the last hour counts the requests served, their errors and response times; replicas are the deployment’s', async () => {
    for (let i = 0; i < 3; i++) await client.inference.predict(owner(echo), PRODUCTION, jsonInput({ i }));
    await caught(() => client.inference.predict(owner(failing), PRODUCTION, jsonInput({}), { retry: false }));
    const now = Date.now();
    const raw = await client.metrics.deploymentMetrics(echo.id, echo.deployments.production, { mode: 'SERIES', startMs: now - 3_600_000, endMs: now });
    assert.equal(raw.step_seconds, 60);
    const metrics = readDeploymentMetrics(raw);
    assert.equal(metrics.requestsPerSecond.length, 60);
    const served = metrics.requestsPerSecond.reduce((sum, point) => sum + (point.value ?? 0), 0) * 60;
    assert.equal(Math.round(served), 3, 'three predicts in the hour');
    assert.equal(metrics.errorsPerSecond.reduce((sum, point) => sum + (point.value ?? 0), 0), 0);
    assert.ok(metrics.p95Seconds.some((point) => point.value !== null), 'a response time where requests ended');
    assert.equal(metrics.replicas.at(-1)?.value, 1, 'min_replica 1');

    const failed = readDeploymentMetrics(await client.metrics.deploymentMetrics(failing.id, 'production', { mode: 'SUMMARY' }));
    assert.ok((failed.errorsPerSecond[0].value ?? 0) > 0, 'the failing model’s 500 counts as an error');
  });

  it('CURRENT answers one value set; a bad mode or a window with CURRENT is a 400', async () => {
    const current = await client.metrics.environmentMetrics(echo.id, 'production');
    assert.equal(current.mode, 'CURRENT');
    assert.equal(current.metric_values.length, 1);
    const error = await caught<BasetenError>(() => client.metrics.deploymentMetrics(echo.id, 'production', { mode: 'CURRENT', startMs: 1, endMs: 2 }));
    assert.equal(error.status, 400);
  });
});

describe('Promotion (client over the emulator)', function () {
  this.timeout(20_000);
  let client: BasetenClient;
  let emulator: Emulator;
  useEmulatorClient({ emulator: { wakeDelayMs: 0, promotionMs: 2_000 } }, (current) => ({ client, emulator } = current));

  it('moves through releasing and ramping with its candidate, then the environment serves it and the previous one scales to zero', async () => {
    const candidate = await client.promotion.promoteToEnvironment(echo.id, 'staging', echo.deployments.production);
    assert.equal(candidate.id, echo.deployments.production);
    const seen = new Set<string>();
    await eventually(async () => {
      const environment = await client.promotion.environment(echo.id, 'staging');
      const promotion = promotionOf(environment);
      if (promotion) {
        seen.add(promotion.status);
        assert.equal(promotion.candidate?.id, echo.deployments.production);
      }
      return !promotion && environment.current_deployment?.id === echo.deployments.production;
    }, 8_000, 'the promotion to end');
    assert.ok(seen.has('RELEASING') && seen.has('RAMPING_UP'), [...seen].join(', '));
    const previous = await client.management.getDeployment(echo.id, echo.deployments.staging);
    assert.equal(previous.status, 'SCALED_TO_ZERO');
    assert.ok(emulator);
  });

  it('cancels before traffic moved: the environment keeps what it served; a second cancel is a 400', async () => {
    await client.promotion.promoteToProduction(echo.id, 'development');
    assert.ok(promotionOf(await client.promotion.environment(echo.id, 'production')));
    const cancelled = await client.promotion.cancelPromotion(echo.id, 'production');
    assert.equal(cancelled.status, 'CANCELED');
    const after = await client.promotion.environment(echo.id, 'production');
    assert.equal(promotionOf(after), undefined);
    assert.equal(after.current_deployment?.id, echo.deployments.production);
    const again = await caught<BasetenError>(() => client.promotion.cancelPromotion(echo.id, 'production'));
    assert.equal(again.status, 400);
  });

  it('refuses a second promotion while one is in progress', async () => {
    await client.promotion.promoteToEnvironment(echo.id, 'staging', echo.deployments.production);
    const error = await caught<BasetenError>(() => client.promotion.promoteToEnvironment(echo.id, 'staging', echo.deployments.development));
    assert.equal(error.status, 400);
    assert.match(error.message, /already in progress/);
  });
});

describe('Autoscaling (client over the emulator)', function () {
  this.timeout(15_000);
  let client: BasetenClient;
  useEmulatorClient({ emulator: { wakeDelayMs: 0, scaleToZeroAfterMs: 60_000 } }, (current) => ({ client } = current));

  it('a shorter scale-down delay makes an idle deployment scale to zero sooner', async () => {
    await client.inference.predict(owner(sleepy), PRODUCTION, jsonInput({}));
    assert.equal((await client.management.getDeployment(sleepy.id, 'production')).status, 'ACTIVE');
    const result = await client.autoscaling.updateDeployment(sleepy.id, 'production', { scale_down_delay: 15 });
    assert.equal(result.status, 'ACCEPTED');
    // Idle 60 s here stands for Baseten's default 900 s; a 15 s delay makes it 1 s.
    await eventually(async () => (await client.management.getDeployment(sleepy.id, 'production')).status === 'SCALED_TO_ZERO', 10_000, 'scale to zero well before the default delay');
  });

  it('a minimum above zero wakes a sleeping deployment and keeps that many replicas; the environment’s settings reach its deployment', async () => {
    const result = await client.autoscaling.updateEnvironment(sleepy.id, 'production', { min_replica: 2, max_replica: 3 });
    assert.equal(result.status, 'ACCEPTED');
    await eventually(async () => (await client.management.getDeployment(sleepy.id, 'production')).active_replica_count === 2, 3_000, 'two replicas');
    const environment = await client.management.getEnvironment(sleepy.id, 'production');
    assert.equal(environment.autoscaling_settings.min_replica, 2);
    assert.equal(environment.current_deployment?.autoscaling_settings?.max_replica, 3);
  });

  it('the same values again are UNCHANGED; development keeps 0–1 replicas', async () => {
    const current = currentAutoscaling((await client.management.getDeployment(echo.id, 'production')).autoscaling_settings);
    assert.equal((await client.autoscaling.updateDeployment(echo.id, 'production', { max_replica: current.max_replica })).status, 'UNCHANGED');
    const error = await caught<BasetenError>(() => client.autoscaling.updateDeployment(echo.id, 'development', { max_replica: 2 }));
    assert.equal(error.status, 400);
  });
});

describe('Autoscaling ranges', () => {
  it('checks each field against Baseten’s range and says what to type instead', () => {
    assert.equal(autoscalingValueError('autoscaling_window', '60'), undefined);
    assert.match(autoscalingValueError('autoscaling_window', '5') ?? '', /from 10 to 3600 seconds; 5 is outside/);
    assert.match(autoscalingValueError('scale_down_delay', '3601') ?? '', /from 0 to 3600/);
    assert.match(autoscalingValueError('concurrency_target', '0') ?? '', /1 or more/);
    assert.match(autoscalingValueError('max_replica', '1.5') ?? '', /whole number.*digits only/);
    assert.match(autoscalingValueError('min_replica', '-1') ?? '', /digits only/);
    assert.match(autoscalingValueError('min_replica', '4', { max_replica: 3 }) ?? '', /raise max replicas first or type 3 or less/);
    assert.match(autoscalingValueError('max_replica', '1', { min_replica: 2 }) ?? '', /lower min replicas first/);
  });

  it('fills Baseten’s defaults, lists problems of a whole set, and sends only what changed', () => {
    const current = currentAutoscaling({ min_replica: 1, max_replica: 2, autoscaling_window: null, scale_down_delay: null, concurrency_target: 1 });
    assert.deepEqual(current, { min_replica: 1, max_replica: 2, concurrency_target: 1, scale_down_delay: 900, autoscaling_window: 60 });
    assert.deepEqual(autoscalingErrors(current), []);
    assert.deepEqual(autoscalingErrors({ ...current, min_replica: 3 }).map((problem) => problem.field), ['min_replica', 'max_replica']);
    assert.deepEqual(autoscalingChanges(current, { ...current, scale_down_delay: 120 }), { scale_down_delay: 120 });
    assert.equal(AUTOSCALING_RANGES.length, 5);
  });
});
