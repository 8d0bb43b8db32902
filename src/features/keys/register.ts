import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { clearApiKey, keyActions, setApiKey, testConnection } from './keyCommands';
import { KEY_COMMANDS } from './logic/commandIds';
import { showLog } from './showLog';
import { KeyStatusBar } from './statusBar';

/** The API key (secret storage, environment, ~/.trussrc), its status bar item, the connection test and the log. */
export function registerKeys({ context, services }: FeatureContext): FeatureRegistration<(typeof KEY_COMMANDS)[number], KeyStatusBar> {
  const statusBar = new KeyStatusBar(services);
  // The key lookup reads secret storage and maybe ~/.trussrc: done after activation returns, never blocking it.
  const updateKeyContext = (hasKey: boolean): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'baseten.hasApiKey', hasKey);
  void services.keys.resolve().then((resolved) => {
    void updateKeyContext(resolved.source !== 'none');
    void statusBar.initialize();
  });
  return {
    commands: {
      'baseten.setApiKey': () => setApiKey(services),
      'baseten.clearApiKey': () => clearApiKey(services),
      'baseten.testConnection': () => testConnection(services),
      'baseten.keyActions': () => keyActions(services),
      'baseten.showLog': (reference?: string) => showLog(services.log, context.logUri, typeof reference === 'string' ? reference : undefined),
    },
    disposables: [statusBar, services.keys.onDidChange((resolved) => void updateKeyContext(resolved.source !== 'none'))],
    exposed: statusBar,
  };
}
