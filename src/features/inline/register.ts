import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { ChatPanels } from '../chat/chatPanels';
import { InlineEdits } from './inlineEdits';
import { INLINE_COMMANDS } from './logic/commandIds';

/** Prompt on Selection: the answer lands as a proposed change to accept or reject. */
export function registerInline({ context, services }: FeatureContext, chat: ChatPanels): FeatureRegistration<(typeof INLINE_COMMANDS)[number], InlineEdits> {
  const inline = new InlineEdits(context, services, chat);
  return {
    commands: {
      'baseten.promptOnSelection': (instruction?: unknown) => inline.promptOnSelection(typeof instruction === 'string' ? instruction : undefined),
      'baseten.acceptProposal': (uri?: vscode.Uri) => inline.accept(uri instanceof vscode.Uri ? uri : undefined),
      'baseten.rejectProposal': (uri?: vscode.Uri) => inline.reject(uri instanceof vscode.Uri ? uri : undefined),
    },
    disposables: [inline],
    exposed: inline,
  };
}
