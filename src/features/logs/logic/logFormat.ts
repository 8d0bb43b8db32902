/** How log lines read: level words, times, and the plain text the agent tool returns. Plain Node. */
import type { LogEntry, LogLevel } from '../../../client/logs';

const LEVEL_WORDS: Record<LogLevel, string> = { DEBUG: 'Debug', INFO: 'Info', WARNING: 'Warning', ERROR: 'Error' };

export function levelWord(level: LogLevel | null): string {
  return level ? LEVEL_WORDS[level] : '';
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** "14:03:07.123", with the date in front ("Dec 5 14:03:07.123") when it is not the day of `nowMs`. */
export function formatLogTime(ms: number, nowMs: number): string {
  const at = new Date(ms);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
  return at.toDateString() === new Date(nowMs).toDateString() ? time : `${at.toLocaleString('en', { month: 'short', day: 'numeric' })} ${time}`;
}

/** The first line of a message, for a one-line row; the rest shows when the line is selected. */
export function firstLine(message: string): { text: string; more: number } {
  const end = message.indexOf('\n');
  if (end < 0) return { text: message, more: 0 };
  let more = 0;
  for (let i = end; i >= 0; i = message.indexOf('\n', i + 1)) more++;
  return { text: message.slice(0, end), more };
}

/**
 * Lines as plain text for a language model, newest last, at most `maxChars`: when cut, the oldest lines go
 * and a first line says how many.
 */
export function logLinesText(entries: readonly LogEntry[], maxChars: number): string {
  const lines = entries.map((entry) => {
    const parts = [new Date(entry.timeMs).toISOString(), entry.level ?? '-', entry.replica ?? '-'];
    if (entry.requestId) parts.push(`request ${entry.requestId}`);
    return `${parts.join(' ')}: ${entry.message}`;
  });
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (size + lines[i].length + 1 > maxChars && kept.length) break;
    kept.push(lines[i].length > maxChars ? `${lines[i].slice(0, maxChars)}…` : lines[i]);
    size += lines[i].length + 1;
  }
  kept.reverse();
  const cut = lines.length - kept.length;
  return [...(cut ? [`(${cut} earlier lines left out)`] : []), ...kept].join('\n');
}
