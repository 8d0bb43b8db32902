import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { TargetNode } from '../explorer/targetNode';
import { WEBSOCKET_COMMANDS } from './logic/commandIds';
import { WebSocketPanels } from './sessionPanels';

/** WebSocket session panels: one per target, restored after a reload with their transcript. */
export function registerWebSocket({ context, services, catalog }: FeatureContext): FeatureRegistration<(typeof WEBSOCKET_COMMANDS)[number], WebSocketPanels> {
  const panels = new WebSocketPanels(context, services, catalog);
  return {
    commands: { 'baseten.openWebSocket': (node?: TargetNode) => panels.openFor(node) },
    disposables: [panels],
    exposed: panels,
  };
}
