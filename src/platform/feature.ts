import * as vscode from 'vscode';
import { DeploymentCatalog } from '../catalog/deploymentCatalog';
import { BasetenServices } from './services';

/** A command's handler: arguments come from menus (a tree node), the palette (none) or `executeCommand`. */
export type CommandHandler = (...args: never[]) => unknown;

/** What each feature's `register` returns: its commands by id, and what to dispose on deactivation. */
export interface FeatureRegistration<Id extends string, Exposed = undefined> {
  commands: Record<Id, CommandHandler>;
  disposables: vscode.Disposable[];
  /** What other features or the test API use of it. */
  exposed: Exposed;
}

/** What every feature is built from. */
export interface FeatureContext {
  context: vscode.ExtensionContext;
  services: BasetenServices;
  catalog: DeploymentCatalog;
}
