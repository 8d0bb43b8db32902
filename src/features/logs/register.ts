import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { LOGS_COMMANDS } from './logic/commandIds';
import { LogsPanels } from './logsPanels';

/** Baseten's logs in editor tabs: from the tree, the palette, and every failure's *Show Logs*. */
export function registerLogs({ context, services, catalog }: FeatureContext): FeatureRegistration<(typeof LOGS_COMMANDS)[number], LogsPanels> {
  const panels = new LogsPanels(context, services, catalog);
  return {
    commands: { 'baseten.showLogs': (argument?: unknown) => panels.openFor(argument) },
    disposables: [panels],
    exposed: panels,
  };
}
