import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { registerLanguageModels } from './chatProvider';

/** Baseten's Model APIs in VS Code's model picker, through the language-model provider API. No commands of its own. */
export function registerLm({ services }: FeatureContext): FeatureRegistration<never> {
  const provider = registerLanguageModels(services);
  return { commands: {}, disposables: provider ? [provider] : [], exposed: undefined };
}
