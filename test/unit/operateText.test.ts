/** What the operate commands say: the promotion confirmation, the autoscaling form's rows, the metrics in words. */
import * as assert from 'node:assert/strict';
import type { DeploymentMetrics, EnvironmentV1 } from '../../src/client';
import { formRows, valueText } from '../../src/features/operate/logic/autoscalingForm';
import { promotionConfirmation } from '../../src/features/operate/logic/promotionPlan';
import { describeWindow, metricCharts, metricsTooltip } from '../../src/features/metrics/logic/metricsText';
import { operateTokens } from '../../src/features/explorer/logic/operateTokens';
import { isChanging, orderedTargets, modelDeploymentState } from '../../src/catalog/targets';
import type { CatalogTarget } from '../../src/catalog/targets';

const owner = { kind: 'model' as const, id: 'm1', name: 'echo' };
const now = (cleanup: string | null, current: string | null = 'deployment-3', ramp = false): Pick<EnvironmentV1, 'current_deployment' | 'promotion_settings'> => ({
  current_deployment: current ? ({ id: 'd3', name: current } as EnvironmentV1['current_deployment']) : null,
  promotion_settings: { promotion_cleanup_strategy: cleanup, ramp_up_while_promoting: ramp, ramp_up_duration_seconds: 600 },
});

describe('Promotion confirmation', () => {
  it('names what will change and what becomes of the deployment served now', () => {
    const plain = promotionConfirmation({ owner, environment: 'production', candidate: 'deployment-4', now: now('SCALE_TO_ZERO') });
    assert.equal(plain.title, 'Promote deployment-4 to echo · production?');
    assert.equal(plain.change, 'echo · production will serve deployment-4 instead of deployment-3; deployment-3 will scale down to zero.');
    assert.match(plain.note, /switches once the new deployment is ready/);
    assert.match(promotionConfirmation({ owner, environment: 'staging', candidate: 'deployment-4', now: now('KEEP') }).change, /deployment-3 keeps running\.$/);
    assert.match(promotionConfirmation({ owner, environment: 'staging', candidate: 'deployment-4', now: now('DEACTIVATE') }).change, /deployment-3 will be deactivated\.$/);
    assert.match(promotionConfirmation({ owner, environment: 'staging', candidate: 'deployment-4', now: now(null), currentAlsoServes: ['production'] }).change, /deployment-3 keeps serving production\.$/);
  });

  it('development publishes a new deployment; an empty environment; a gradual ramp; a sleeping candidate', () => {
    const fromDevelopment = promotionConfirmation({ owner, environment: 'staging', now: now(null, null, true), candidateAsleep: true });
    assert.equal(fromDevelopment.title, 'Promote development to echo · staging?');
    assert.equal(fromDevelopment.change, 'echo · staging will serve a new deployment published from development; it serves no deployment now.');
    assert.equal(fromDevelopment.previous, undefined);
    assert.match(fromDevelopment.note, /gradually, in about 10 min\. Development is scaled to zero and starts first/);
  });
});

describe('Autoscaling form rows', () => {
  const current = { min_replica: 1, max_replica: 2, concurrency_target: 1, scale_down_delay: 900, autoscaling_window: 60 };

  it('shows each value in words, marks changes, and the Apply row says what it sends or what to fix', () => {
    assert.equal(valueText('min_replica', 1), '1 replica');
    assert.equal(valueText('concurrency_target', 2), '2 requests per replica');
    assert.equal(valueText('scale_down_delay', 900), '900 seconds (15 min)');
    const unchanged = formRows(current, current, false);
    assert.equal(unchanged[0].label, '$(check) Apply');
    const changed = formRows(current, { ...current, scale_down_delay: 120 }, false);
    assert.equal(changed[0].label, '$(check) Apply 1 change');
    assert.equal(changed.find((row) => row.key === 'scale_down_delay')?.description, '120 seconds (2 min), was 900 seconds (15 min)');
    const broken = formRows(current, { ...current, min_replica: 3 }, false);
    assert.equal(broken[0].label, '$(error) Fix the values below first');
    assert.match(broken[0].detail, /raise max replicas first/);
    assert.ok(formRows(current, current, true).filter((row) => row.locked).length === 2, 'development keeps its replicas');
  });
});

describe('Metrics in words', () => {
  const series = (...values: Array<number | null>) => values.map((value, index) => ({ at: index * 60_000, value }));
  const metrics: DeploymentMetrics = {
    startMs: 0,
    endMs: 3_600_000,
    stepSeconds: 60,
    replicas: series(1, 1, 2),
    requestsPerSecond: series(0, 0.5, 0.25),
    errorsPerSecond: series(null, 0.05, 0),
    p50Seconds: series(null, 0.04, 0.05),
    p95Seconds: series(null, 0.2, 1.5),
    inFlight: series(0, 0.01, 0.3),
  };

  it('gives each chart its latest value and a text alternative with no metric names', () => {
    const charts = metricCharts(metrics);
    assert.deepEqual(charts.map((chart) => chart.id), ['replicas', 'requests', 'latency', 'errors', 'inFlight']);
    assert.equal(charts[1].latest, '0.25 requests/s');
    assert.equal(charts[1].summary, 'Requests per second: now 0.25 requests/s, peak 0.50 requests/s, average 0.25 requests/s.');
    assert.equal(charts[2].latest, '50 ms / 1.50 s');
    assert.equal(charts[3].latest, '3 in this window');
    assert.match(charts[3].summary, /^Errors: 3 in this window\. Error rate: now 0/);
    assert.equal(describeWindow(metrics), 'Last hour, in 1-minute steps');
    assert.doesNotMatch(JSON.stringify(charts), /baseten_|PER_SECOND|SERIES/);
  });

  it('says the last hour in one line for a hover text', () => {
    assert.equal(metricsTooltip(metrics), '**Last hour:** 0.25 requests/s · p50 50 ms · p95 1.50 s · 3 errors · 0.3 in flight on average · 2 replicas now. *Show Metrics* charts them.');
  });
});

describe('Operate menu tokens', () => {
  const target = (over: Partial<CatalogTarget>, state: CatalogTarget['state']): CatalogTarget => ({ owner, target: { kind: 'production' }, place: 'environment', statusKnown: true, ...over, state });

  it('offers promotion on built deployments, cancel on a promoting environment, autoscaling where settings exist', () => {
    const autoscaling = { min_replica: 0, max_replica: 1, autoscaling_window: 60, scale_down_delay: 900, concurrency_target: 1, target_utilization_percentage: 70 };
    assert.deepEqual(operateTokens(target({}, { status: 'ACTIVE', deploymentId: 'd', autoscaling })), ['hasMetrics', 'promotable', 'autoscalable']);
    assert.deepEqual(operateTokens(target({ place: 'deployment', target: { kind: 'deployment', id: 'd' } }, { status: 'SCALED_TO_ZERO', deploymentId: 'd' })), ['hasMetrics', 'promotable', 'promotableToProduction']);
    assert.deepEqual(operateTokens(target({ place: 'deployment', target: { kind: 'deployment', id: 'd' } }, { status: 'BUILD_FAILED', deploymentId: 'd' })), ['hasMetrics']);
    assert.deepEqual(operateTokens(target({ target: { kind: 'environment', name: 'staging' } }, { status: 'ACTIVE', deploymentId: 'd', promotion: { status: 'RAMPING_UP', percentTraffic: 25 } })), ['hasMetrics', 'promotable', 'promotableToProduction', 'promoting']);
    assert.deepEqual(operateTokens(target({ statusKnown: false }, { deploymentId: 'd' })), []);
    assert.deepEqual(operateTokens(target({ owner: { ...owner, kind: 'chain' } }, { status: 'ACTIVE', deploymentId: 'd' })), []);
  });
});

describe('A promotion in the catalog', () => {
  it('puts the promotion and its candidate on the environment, which counts as changing (so the catalog polls its owner)', () => {
    const deployment = (id: string, name: string) => ({ id, name, created_at: '2026-01-01T00:00:00Z', status: 'ACTIVE', active_replica_count: 1, autoscaling_settings: null, is_development: false }) as unknown as Parameters<typeof modelDeploymentState>[0] & object;
    const current = deployment('d3', 'deployment-3');
    const candidate = deployment('d4', 'deployment-4');
    const targets = orderedTargets(owner, [{ name: 'staging', current_deployment: current, candidate_deployment: candidate, in_progress_promotion: { status: 'RAMPING_UP', percent_traffic_to_new_version: 50 } }], [current, candidate], undefined, modelDeploymentState);
    const staging = targets.find((target) => target.place === 'environment')!;
    assert.deepEqual(staging.state.promotion, { status: 'RAMPING_UP', percentTraffic: 50, candidate: { id: 'd4', name: 'deployment-4' } });
    assert.ok(isChanging(staging));
    const ended = orderedTargets(owner, [{ name: 'staging', current_deployment: candidate, in_progress_promotion: { status: 'SUCCEEDED', percent_traffic_to_new_version: 100 } }], [current, candidate], undefined, modelDeploymentState);
    assert.equal(ended[0].state.promotion, undefined, 'an ended promotion is history');
    assert.ok(!isChanging(ended[0]));
  });
});
