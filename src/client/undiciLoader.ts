type Undici = typeof import('undici');
let loadedUndici: Undici | undefined;

/** undici is loaded on the first request, not with the extension: it is most of the bundle's load time. */
export function undici(): Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedUndici ??= require('undici') as Undici);
}
