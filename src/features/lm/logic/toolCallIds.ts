import type { ToolCall } from '../../../client/types';

/**
 * One id per tool call of a response, each different: VS Code answers a call by its id, so two calls
 * to the same function must not share one. A missing (or repeated) id gets one made from its index.
 */
export function uniqueToolCallIds(calls: readonly ToolCall[]): string[] {
  const used = new Set<string>();
  return calls.map((call, index) => {
    let id = call.id || `call_${index}_${call.function.name}`;
    if (used.has(id)) id = `${id}_${index}`;
    while (used.has(id)) id = `${id}_`;
    used.add(id);
    return id;
  });
}
