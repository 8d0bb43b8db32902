/**
 * Extension-host cost of streaming a long answer into the chat panel: the panel's own path (askModel with
 * its batcher, each batch turned into the message the webview receives and serialised as VS Code does),
 * against the client reading the same stream with no UI, in the same run. The emulator streams at about
 * one token a millisecond in its own process, so messages per second is measured on a realistic clock.
 */
import { askModel } from '../src/features/chat/logic/askModel';
import type { AssistantTurn, HostToWebview } from '../src/features/chat/logic/protocol';
import type { BasetenClient } from '../src/client';

export interface BenchRow {
  figure: string;
  ours: string;
  baseline: string;
  ratio?: number;
  goal: string;
  met?: boolean;
}

const TOKENS = 20_000;
const MODEL = 'moonshotai/Kimi-K2.6';

function request(): { model: string; messages: Array<{ role: 'user'; content: string }> } {
  return { model: MODEL, messages: [{ role: 'user', content: `[[tokens:${TOKENS}]] go` }] };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function clientOnly(client: BasetenClient): Promise<{ cpu: number; wall: number }> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const stream = await client.modelApis.chatStream(request());
  let tokens = 0;
  for await (const event of stream) if (event.type === 'content') tokens++;
  if (tokens !== TOKENS) throw new Error(`client read ${tokens} of ${TOKENS} tokens`);
  return { cpu: cpuMs(cpuStart), wall: performance.now() - wallStart };
}

async function throughPanel(client: BasetenClient): Promise<{ cpu: number; wall: number; messages: number; bytes: number }> {
  const answer: AssistantTurn = { role: 'assistant', id: 'bench', model: MODEL, text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
  let messages = 0;
  let bytes = 0;
  const post = (message: HostToWebview): void => {
    messages++;
    bytes += JSON.stringify(message).length;
  };
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const outcome = await askModel(client.modelApis, request(), answer, {
    signal: new AbortController().signal,
    onDelta: (delta) => post({ type: 'delta', answerId: answer.id, delta }),
  });
  post({ type: 'answerEnded', answer });
  if (outcome.error) throw outcome.error;
  if (answer.stats.completionTokens !== TOKENS) throw new Error(`panel got ${answer.stats.completionTokens} of ${TOKENS} tokens`);
  return { cpu: cpuMs(cpuStart), wall: performance.now() - wallStart, messages, bytes };
}

export async function chatPanelCost(client: BasetenClient): Promise<BenchRow[]> {
  await clientOnly(client); // warm-up: connection and JIT
  // Three paired rounds, alternating which goes first; each figure is the median (a shared machine starves a
  // process now and then, and the CPU of one 20 s stream is mostly per-packet work that such noise skews).
  const baselines: Array<{ cpu: number; wall: number }> = [];
  const panels: Array<Awaited<ReturnType<typeof throughPanel>>> = [];
  for (let round = 0; round < 3; round++) {
    if (round % 2) panels.push(await throughPanel(client));
    baselines.push(await clientOnly(client));
    if (!(round % 2)) panels.push(await throughPanel(client));
  }
  const byCpu = <T extends { cpu: number }>(list: T[]): T => [...list].sort((a, b) => a.cpu - b.cpu)[1];
  const baseline = byCpu(baselines);
  const panel = byCpu(panels);
  const perSecond = panel.messages / (panel.wall / 1000);
  const perThousand = (cpu: number): number => cpu / (TOKENS / 1000);
  return [
    {
      figure: `chat panel, ${TOKENS.toLocaleString('en-US')}-token answer: messages posted per second`,
      ours: `${perSecond.toFixed(1)} /s (${panel.messages} in ${(panel.wall / 1000).toFixed(1)} s)`,
      baseline: `${TOKENS.toLocaleString('en-US')} tokens`,
      goal: '≤ 60 /s',
      met: perSecond <= 60,
    },
    {
      figure: 'chat panel: extension-host CPU per 1,000 tokens vs client alone',
      ours: `${perThousand(panel.cpu).toFixed(2)} ms`,
      baseline: `${perThousand(baseline.cpu).toFixed(2)} ms`,
      ratio: panel.cpu / baseline.cpu,
      goal: 'ratio ≤ 1.5',
      met: panel.cpu / baseline.cpu <= 1.5,
    },
  ];
}
