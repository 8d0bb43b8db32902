export const TRUSS_COMMANDS = [
  'baseten.truss.deployDevelopment',
  'baseten.truss.publish',
  'baseten.truss.publishAndPromote',
  'baseten.truss.startWatch',
  'baseten.truss.stopWatch',
  'baseten.truss.predict',
  'baseten.truss.refreshProjects',
  'baseten.truss.openConfig',
] as const;
