/** The page's messages, checked before the host acts on them. Plain Node. */
import { parseLogViewFilter } from './logFilter';
import type { PageToHost } from './protocol';

export function parsePageMessage(raw: unknown): PageToHost | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'loadEarlier':
    case 'retry':
      return { type: message.type };
    case 'follow':
      return typeof message.on === 'boolean' ? { type: 'follow', on: message.on } : undefined;
    case 'filter': {
      const filter = parseLogViewFilter(message.filter);
      return filter ? { type: 'filter', filter } : undefined;
    }
    default:
      return undefined;
  }
}
