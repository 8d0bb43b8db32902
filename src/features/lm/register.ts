import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import type { AsyncRequestStore } from '../async/store';
import type { ChatRoutes } from '../chat/chatRoutes';
import { registerLanguageModels } from './chatProvider';
import { registerDeploymentTools } from './deploymentTools';

/**
 * Baseten in VS Code's own chat: the Model APIs and the deployments that serve chat in the model picker (a
 * language-model provider), and the user's deployments as tools for agent mode. No commands of its own.
 */
export function registerLm({ context, services, catalog }: FeatureContext, asyncStore: AsyncRequestStore, chatRoutes: ChatRoutes): FeatureRegistration<never> {
  const provider = registerLanguageModels(services, catalog, chatRoutes);
  const tools = registerDeploymentTools({ services, catalog, asyncStore, globalStorage: context.globalStorageUri });
  return { commands: {}, disposables: [...(provider ? [provider] : []), ...tools], exposed: undefined };
}
