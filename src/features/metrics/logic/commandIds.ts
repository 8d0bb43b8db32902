export const METRICS_COMMANDS = ['baseten.showMetrics'] as const;
