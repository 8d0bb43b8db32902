/**
 * The undamaged form of a stream, fetched from the emulator without any fault, for the fault suites to
 * compare what a caller kept with: raw bytes over plain undici (never the project client), SSE events
 * split at the blank lines the emulator's `drop` fault counts.
 */
import { Agent, request } from 'undici';
import type { Emulator } from './client';

export async function rawBody(emulator: Emulator, path: string, body: unknown): Promise<Buffer> {
  const agent = new Agent();
  try {
    const response = await request(`${emulator.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${bytes.toString('utf8')}`);
    return bytes;
  } finally {
    await agent.destroy();
  }
}

/** The `data:` payload of each event of an LF-only SSE body, as the emulator writes them. */
export function sseData(body: Buffer): string[] {
  return body
    .toString('utf8')
    .split('\n\n')
    .filter((event) => event.startsWith('data:'))
    .map((event) => event.replace(/^data: ?/, ''));
}

/** The text and reasoning the first `events` chat chunks of an undamaged stream carry. */
export function chatPrefix(data: string[], events: number): { text: string; reasoning: string } {
  let text = '';
  let reasoning = '';
  for (const payload of data.slice(0, events)) {
    if (payload === '[DONE]') continue;
    const delta = (JSON.parse(payload) as { choices?: Array<{ delta?: { content?: string; reasoning_content?: string; reasoning?: string } }> }).choices?.[0]?.delta;
    text += delta?.content ?? '';
    reasoning += delta?.reasoning_content ?? delta?.reasoning ?? '';
  }
  return { text, reasoning };
}
