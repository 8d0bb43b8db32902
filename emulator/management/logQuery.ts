/** `GET …/logs` for model deployments, environments and chainlets, with the spec's query parameters. */
import type { LogLevel, LogLine } from '../state/state';
import type { ManagementContext } from './context';
import { fail, ok } from './context';
import { logView } from './views';

const LEVELS: LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/** `GET …/logs` with the spec's query: window, direction, limit, min_level, replica, request_id, search_pattern, includes, excludes. */
export function queryLogs(context: ManagementContext, lines: LogLine[]): void {
  const query = context.exchange.query;
  const number = (name: string): number | undefined => (query.has(name) ? Number(query.get(name)) : undefined);
  const end = number('end_epoch_millis') ?? Date.now();
  const start = number('start_epoch_millis') ?? end - 30 * 60_000;
  const limit = number('limit') ?? 500;
  if (![start, end, limit].every(Number.isFinite) || start > end) return fail(context, 400, 'start_epoch_millis and end_epoch_millis must be epoch milliseconds, start <= end.');
  if (end - start > 7 * 24 * 3600_000) return fail(context, 400, 'The log window may span at most 7 days.');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(context, 400, 'limit must be between 1 and 1000.');
  const minLevel = query.get('min_level');
  if (minLevel !== null && !LEVELS.includes(minLevel as LogLevel)) return fail(context, 400, `min_level must be one of ${LEVELS.join(', ')}.`);
  let pattern: RegExp | undefined;
  const search = query.get('search_pattern');
  if (search) {
    try {
      pattern = new RegExp(search);
    } catch {
      return fail(context, 400, `search_pattern is not a valid regular expression: ${search}`);
    }
  }
  const includes = query.getAll('includes');
  const excludes = query.getAll('excludes');
  if (includes.length > 8 || excludes.length > 8) return fail(context, 400, 'includes and excludes take at most 8 substrings each.');
  const direction = query.get('direction');
  if (direction !== null && direction !== 'asc' && direction !== 'desc') return fail(context, 400, 'direction must be asc or desc.');
  const tooLong = ['replica', 'request_id', 'component', 'search_pattern'].find((name) => (query.get(name)?.length ?? 0) > 256);
  if (tooLong) return fail(context, 400, `${tooLong} may be at most 256 characters.`);
  const requestId = query.get('request_id');
  const replica = query.get('replica');
  let selected = lines.filter(
    (line) =>
      line.at >= start &&
      line.at <= end &&
      (minLevel === null || LEVELS.indexOf(line.level) >= LEVELS.indexOf(minLevel as LogLevel)) &&
      (requestId === null || line.requestId === requestId) &&
      (replica === null || line.replica === replica) &&
      (!pattern || pattern.test(line.message)) &&
      includes.every((text) => line.message.includes(text)) &&
      !excludes.some((text) => line.message.includes(text)),
  );
  selected = [...selected].sort((a, b) => a.at - b.at || (a.nanos ?? 0) - (b.nanos ?? 0));
  if (direction === 'desc') selected.reverse();
  ok(context, { logs: selected.slice(0, limit).map(logView) });
}
