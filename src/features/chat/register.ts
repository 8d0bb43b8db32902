import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { ChatPanels } from './chatPanels';
import { CHAT_COMMANDS } from './logic/commandIds';

/** The chat panel: Model APIs and deployed models, streamed answers, the selection as context. */
export function registerChat({ context, services, catalog }: FeatureContext): FeatureRegistration<(typeof CHAT_COMMANDS)[number], ChatPanels> {
  const chat = new ChatPanels(context, services, catalog);
  return {
    commands: {
      'baseten.openChat': () => chat.open(),
      'baseten.sendSelectionToChat': () => chat.sendSelection(),
      'baseten.chatWith': (node: Parameters<ChatPanels['chatWith']>[0]) => chat.chatWith(node),
      'baseten.newChat': () => chat.open().newConversation(),
    },
    disposables: [chat],
    exposed: chat,
  };
}
