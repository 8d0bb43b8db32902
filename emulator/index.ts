/**
 * The Baseten emulator: one HTTP + WebSocket server on 127.0.0.1 that speaks like Baseten's Model APIs,
 * management API, model and chain hosts and dashboard, with the hosts turned into path prefixes (see
 * README.md). `startEmulator()` starts it on a free port.
 */
import type { AddressInfo } from 'node:net';
import type { BasetenEndpoints } from '../src/client/urls';
import { EmulatorCore } from './core/core';
import { resolveOptions } from './core/options';
import { createEmulatorServer } from './core/server';
import type { DeploymentStatus, Emulator, EmulatorFaults, EmulatorOptions, EmulatorState, EmulatorStats } from './types';

export * from './types';
export { DEMO_API_KEY, INVOKE_ONLY_API_KEY, SEED } from './state/seed';
export type { Seed, SeedChain, SeedModel } from './state/seed';

export function endpointsFor(baseUrl: string): BasetenEndpoints {
  return {
    modelApisBaseUrl: `${baseUrl}/inference/v1`,
    managementBaseUrl: `${baseUrl}/management/v1`,
    modelHostTemplate: `${baseUrl}/model-{id}`,
    chainHostTemplate: `${baseUrl}/chain-{id}`,
    dashboardUrl: `${baseUrl}/dashboard`,
  };
}

class RunningEmulator implements Emulator {
  readonly port: number;
  readonly baseUrl: string;
  readonly endpoints: BasetenEndpoints;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly core: EmulatorCore,
    private readonly servers: ReturnType<typeof createEmulatorServer>,
  ) {
    this.port = (servers.server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    this.endpoints = endpointsFor(this.baseUrl);
    core.baseUrl = this.baseUrl;
  }

  get apiKey(): string {
    return this.core.options.apiKey;
  }

  get invokeOnlyApiKey(): string {
    return this.core.options.invokeOnlyApiKey;
  }

  get state(): EmulatorState {
    return this.core.state;
  }

  get faults(): EmulatorFaults {
    return this.core.faults;
  }

  get stats(): EmulatorStats {
    return this.core.stats;
  }

  setDeploymentStatus(modelId: string, deploymentId: string, status: DeploymentStatus): void {
    this.core.setDeploymentStatus(modelId, deploymentId, status);
  }

  reset(): void {
    this.core.reset();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const { server, webSockets } = this.servers;
      this.core.stopActivity();
      for (const client of webSockets.clients) client.terminate();
      server.close(() => webSockets.close(() => resolve()));
      for (const socket of this.core.stats.sockets) socket.destroy();
    });
    return this.closing;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const core = new EmulatorCore(resolveOptions(options));
  const servers = createEmulatorServer(core);
  await new Promise<void>((resolve, reject) => {
    servers.server.once('error', reject);
    servers.server.listen(core.options.port, '127.0.0.1', () => {
      servers.server.off('error', reject);
      resolve();
    });
  });
  return new RunningEmulator(core, servers);
}
