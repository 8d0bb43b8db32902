export const EXPLORER_COMMANDS = [
  'baseten.refresh',
  'baseten.refreshModelApis',
  'baseten.refreshModels',
  'baseten.refreshChains',
  'baseten.wake',
  'baseten.copyEndpointUrl',
  'baseten.copyAsCurl',
  'baseten.copyId',
  'baseten.openInDashboard',
  'baseten.activate',
  'baseten.deactivate',
  'baseten.configureModels',
] as const;
