export const LOGS_COMMANDS = ['baseten.showLogs'] as const;
