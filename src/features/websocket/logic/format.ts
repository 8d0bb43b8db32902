/** How transcript entries read: sizes, binary as a hex preview, text as pretty JSON when it is JSON. Used by the host and the page. */

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** The first `maxBytes` bytes as hex pairs, with how many more there are: `00 1f a0 … (+992 bytes)`. */
export function hexPreview(bytes: Uint8Array, maxBytes = 32): string {
  const shown = Array.from(bytes.subarray(0, maxBytes), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length - Math.min(bytes.length, maxBytes);
  return more > 0 ? `${shown} … (+${more} ${more === 1 ? 'byte' : 'bytes'})` : shown;
}

/** Past this, a text message is shown as it came, not parsed. */
const PRETTY_LIMIT = 256 * 1024;

/** A text message as shown: pretty-printed when it is a JSON object or array. */
export function describeText(text: string): { json: boolean; shown: string } {
  const start = text.trimStart()[0];
  if ((start === '{' || start === '[') && text.length <= PRETTY_LIMIT) {
    try {
      return { json: true, shown: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      // Not JSON after all.
    }
  }
  return { json: false, shown: text };
}

/** 12:03:04.567, in local time. */
export function formatTime(at: number): string {
  const date = new Date(at);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
