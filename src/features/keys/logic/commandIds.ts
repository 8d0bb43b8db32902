export const KEY_COMMANDS = ['baseten.setApiKey', 'baseten.clearApiKey', 'baseten.testConnection', 'baseten.keyActions', 'baseten.showLog'] as const;
