export const ASYNC_COMMANDS = [
  'baseten.submitAsyncRequest',
  'baseten.cancelAsyncRequest',
  'baseten.openAsyncOutput',
  'baseten.startWebhookReceiver',
  'baseten.stopWebhookReceiver',
  'baseten.setWebhookSecret',
  'baseten.refreshAsyncRequests',
  'baseten.clearFinishedAsyncRequests',
] as const;
