export const OPERATE_COMMANDS = ['baseten.promoteToProduction', 'baseten.promoteToEnvironment', 'baseten.cancelPromotion', 'baseten.editAutoscaling'] as const;
