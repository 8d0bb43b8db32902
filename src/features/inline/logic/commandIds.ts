export const INLINE_COMMANDS = ['baseten.promptOnSelection', 'baseten.acceptProposal', 'baseten.rejectProposal'] as const;
