/** Predict on a deployment built from an uploaded Truss: its model.py answers (trussPredict.ts), JSON in and out. */
import type { Exchange } from '../core/exchange';
import { sendJson } from '../core/exchange';
import type { Lifecycle } from '../state/lifecycle';
import type { Deployment } from '../state/lifecycle';
import type { EmulatorState } from '../state/state';
import { modelClassName, modelFilePath, parseConfig } from './build';
import type { TrussSource } from './store';
import { uploadStore } from './store';
import { runTrussPredict } from './trussPredict';

export function trussSourceOf(core: { state: EmulatorState }, deployment: Deployment): TrussSource | undefined {
  return deployment.kind === 'model' ? uploadStore(core.state).sources.get(deployment) : undefined;
}

export function serveTrussPredict(
  core: { lifecycle: Lifecycle },
  exchange: Exchange,
  deployment: Deployment,
  source: TrussSource,
  input: { kind: 'json'; value: unknown } | { kind: 'bytes' },
): void {
  const truss = { 'X-BASETEN-ERROR-SOURCE': '04' };
  if (input.kind !== 'json') {
    sendJson(exchange, 400, { error: 'This Truss takes JSON input.' }, { ...truss, 'X-BASETEN-ERROR-CODE': '700' });
    return;
  }
  const config = parseConfig(source.files.get('config.yaml')?.toString('utf8'));
  const settings = typeof config === 'string' ? {} : config;
  const code = source.files.get(modelFilePath(settings))?.toString('utf8') ?? '';
  const result = runTrussPredict(code, input.value, modelClassName(settings));
  if (result.ok) {
    sendJson(exchange, 200, result.output);
    return;
  }
  core.lifecycle.log(deployment, result.message, 'ERROR', exchange.requestId);
  sendJson(exchange, 500, { error: result.message }, { ...truss, 'X-BASETEN-ERROR-CODE': '600' });
}
