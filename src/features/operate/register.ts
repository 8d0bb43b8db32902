import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { TargetNode } from '../explorer/targetNode';
import { AutoscalingPreset, editAutoscaling } from './editAutoscaling';
import { OPERATE_COMMANDS } from './logic/commandIds';
import { PromotePreset, cancelPromotion, promote } from './promote';

/** Promote to an environment (with its confirmation), cancel a promotion, edit autoscaling. */
export function registerOperate({ services, catalog }: FeatureContext): FeatureRegistration<(typeof OPERATE_COMMANDS)[number]> {
  const deps = { services, catalog };
  return {
    commands: {
      'baseten.promoteToProduction': (node?: TargetNode, preset?: PromotePreset) => promote(deps, 'production', node, preset),
      'baseten.promoteToEnvironment': (node?: TargetNode, preset?: PromotePreset) => promote(deps, 'choose', node, preset),
      'baseten.cancelPromotion': (node?: TargetNode) => cancelPromotion(deps, node),
      'baseten.editAutoscaling': (node?: TargetNode, preset?: AutoscalingPreset) => editAutoscaling(deps, node, preset),
    },
    disposables: [],
    exposed: undefined,
  };
}
