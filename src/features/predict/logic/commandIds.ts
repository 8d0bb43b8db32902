export const PREDICT_COMMANDS = [
  'baseten.predictWithSelection',
  'baseten.predictWithFile',
  'baseten.predict',
  'baseten.runSavedRequest',
  'baseten.showRequestHistory',
  'baseten.saveAsRequest',
] as const;
