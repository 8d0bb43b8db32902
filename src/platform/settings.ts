import * as vscode from 'vscode';
import type { BasetenClientOptions } from '../client';
import type { AuthScheme, BasetenEndpoints } from '../client';
import type { ConfiguredOwner } from '../catalog/targets';

const SECTION = 'baseten';

/** Settings whose change means a new client (new hosts, auth, timeouts or proxy). */
export const CLIENT_SETTINGS = ['baseten.endpoints', 'baseten.authScheme', 'baseten.proxy', 'baseten.timeouts', 'baseten.retry', 'http.proxy', 'http.noProxy'];


function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/**
 * The hosts (and what else a workspace must not choose for the user: retries, timeouts, where answers are
 * written) come only from user or machine settings: a workspace's own value is ignored even if VS Code would
 * apply it, so a cloned repository can never point the key at another host or make a model run ten times.
 */
export function userValue<T>(key: string): T | undefined {
  const inspected = config().inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function endpointSettings(): Partial<BasetenEndpoints> {
  return {
    modelApisBaseUrl: userValue<string>('endpoints.modelApisBaseUrl'),
    managementBaseUrl: userValue<string>('endpoints.managementBaseUrl'),
    modelHostTemplate: userValue<string>('endpoints.modelHostTemplate'),
    chainHostTemplate: userValue<string>('endpoints.chainHostTemplate'),
    dashboardUrl: userValue<string>('endpoints.dashboardUrl'),
  };
}

export function authScheme(): AuthScheme {
  return userValue<AuthScheme>('authScheme') === 'Api-Key' ? 'Api-Key' : 'Bearer';
}

function proxy(): string | undefined {
  const own = userValue<string>('proxy')?.trim();
  if (own) return own;
  const editorProxy = vscode.workspace.getConfiguration('http').inspect<string>('proxy')?.globalValue?.trim();
  return editorProxy || undefined;
}

/** VS Code's `http.noProxy` (a list of hosts) in NO_PROXY syntax; without it the client reads NO_PROXY. */
function noProxy(): string | undefined {
  const hosts = vscode.workspace.getConfiguration('http').inspect<string[]>('noProxy')?.globalValue;
  if (!Array.isArray(hosts)) return undefined;
  const entries = hosts.filter((host) => typeof host === 'string').map((host) => host.trim()).filter(Boolean);
  return entries.length > 0 ? entries.join(',') : undefined;
}

function seconds(key: string, fallback: number, read: (key: string) => number | undefined = (k) => config().get<number>(k)): number {
  const value = read(key);
  return typeof value === 'number' && value > 0 ? value * 1000 : fallback * 1000;
}

/** Everything the client needs from settings; the key comes separately from the key store. */
export function clientSettings(): Omit<BasetenClientOptions, 'apiKey' | 'userAgent' | 'onLog'> {
  return {
    endpoints: endpointSettings(),
    authScheme: authScheme(),
    proxy: proxy(),
    noProxy: noProxy(),
    timeouts: {
      connectMs: seconds('timeouts.connectSeconds', 10, userValue),
      firstByteMs: seconds('timeouts.firstByteSeconds', 1230, userValue),
      idleStreamMs: seconds('timeouts.idleStreamSeconds', 1230, userValue),
    },
    retry: { maxAttempts: Math.max(1, Math.min(10, userValue<number>('retry.maxAttempts') ?? 4)) },
  };
}

export function defaultEnvironment(): string {
  return config().get<string>('defaultEnvironment')?.trim() || 'production';
}

export function statusPollMs(): number {
  return seconds('statusPollSeconds', 5);
}

export function wakeTimeoutMs(): number {
  return seconds('wakeTimeoutSeconds', 900);
}

function configuredList(key: 'models' | 'chains'): ConfiguredOwner[] {
  const raw = config().get<unknown[]>(key) ?? [];
  return raw.filter(
    (item): item is ConfiguredOwner =>
      !!item && typeof item === 'object' && typeof (item as ConfiguredOwner).id === 'string' && /^[A-Za-z0-9_-]+$/.test((item as ConfiguredOwner).id),
  );
}

export function configuredModels(): ConfiguredOwner[] {
  return configuredList('models');
}

export function configuredChains(): ConfiguredOwner[] {
  return configuredList('chains');
}
