export const CHAT_COMMANDS = ['baseten.openChat', 'baseten.sendSelectionToChat', 'baseten.chatWith', 'baseten.newChat'] as const;
