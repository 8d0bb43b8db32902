export const WEBSOCKET_COMMANDS = ['baseten.openWebSocket'] as const;
