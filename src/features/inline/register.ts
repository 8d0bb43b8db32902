import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { ChatPanels } from '../chat/chatPanels';
import { InlineEdits } from './inlineEdits';
import { INLINE_COMMANDS } from './logic/commandIds';

/** Prompt on Selection: the answer streams into the file as an inline diff to accept or reject. */
export function registerInline({ context, services }: FeatureContext, chat: ChatPanels): FeatureRegistration<(typeof INLINE_COMMANDS)[number], InlineEdits> {
  const inline = new InlineEdits(context, services, chat);
  return {
    commands: {
      'baseten.promptOnSelection': (instruction?: unknown) => inline.promptOnSelection(typeof instruction === 'string' ? instruction : undefined),
      'baseten.acceptProposal': (id?: unknown) => inline.accept(typeof id === 'string' ? id : undefined),
      'baseten.rejectProposal': (id?: unknown) => inline.reject(typeof id === 'string' ? id : undefined),
    },
    disposables: [inline],
    exposed: inline,
  };
}
