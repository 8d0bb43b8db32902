import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { HistoryEntry } from './logic/history';
import { PREDICT_COMMANDS } from './logic/commandIds';
import { HistoryAction, TargetArgument, historyAction, predictFromEditor, predictTarget, requestTargets, runSavedRequest, saveAsRequest, showRequestHistory } from './predictCommands';
import { PredictController, PredictOutcome } from './predictRun';

export interface PredictFeature {
  readonly controller: PredictController;
  historyAction(entry: HistoryEntry, action: HistoryAction): Promise<PredictOutcome | string | undefined>;
  /** What the target pick offers once loaded. */
  targets(): ReturnType<typeof requestTargets>;
}

/** Predict requests, their response documents, saved requests and the request history. */
export function registerPredict({ context, services, catalog }: FeatureContext): FeatureRegistration<(typeof PREDICT_COMMANDS)[number], PredictFeature> {
  // After a cold start the target is awake: the views show it.
  const controller = new PredictController(services, context, (ref) => catalog.refresh({ owner: ref.owner }));
  return {
    commands: {
      'baseten.predictWithSelection': (target?: TargetArgument) => predictFromEditor(controller, catalog, 'selection', target),
      'baseten.predictWithFile': (target?: TargetArgument) => predictFromEditor(controller, catalog, 'file', target),
      'baseten.predict': (node?: TargetArgument) => predictTarget(controller, catalog, node),
      'baseten.runSavedRequest': (uri?: vscode.Uri) => runSavedRequest(controller, catalog, uri),
      'baseten.showRequestHistory': () => showRequestHistory(controller, catalog),
      'baseten.saveAsRequest': (entry?: string, name?: string) => saveAsRequest(controller, entry, typeof name === 'string' ? name : undefined),
    },
    disposables: [controller],
    exposed: { controller, historyAction: (entry, action) => historyAction(controller, catalog, entry, action), targets: () => requestTargets(catalog) },
  };
}
