import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASYNC_COMMANDS } from '../../src/features/async/logic/commandIds';
import { CHAT_COMMANDS } from '../../src/features/chat/logic/commandIds';
import { EXPLORER_COMMANDS } from '../../src/features/explorer/logic/commandIds';
import { INLINE_COMMANDS } from '../../src/features/inline/logic/commandIds';
import { TOOL_NAMES } from '../../src/features/lm/logic/toolInputs';
import { KEY_COMMANDS } from '../../src/features/keys/logic/commandIds';
import { METRICS_COMMANDS } from '../../src/features/metrics/logic/commandIds';
import { OPERATE_COMMANDS } from '../../src/features/operate/logic/commandIds';
import { LOGS_COMMANDS } from '../../src/features/logs/logic/commandIds';
import { PREDICT_COMMANDS } from '../../src/features/predict/logic/commandIds';
import { TRUSS_COMMANDS } from '../../src/features/truss/logic/commandIds';
import { WEBSOCKET_COMMANDS } from '../../src/features/websocket/logic/commandIds';

// Each feature's register.ts returns a `Record<id, handler>` typed by these lists, so the compiler holds the
// tables to the lists; this holds the lists to package.json.
const FEATURE_COMMANDS: Record<string, readonly string[]> = {
  keys: KEY_COMMANDS,
  explorer: EXPLORER_COMMANDS,
  chat: CHAT_COMMANDS,
  inline: INLINE_COMMANDS,
  predict: PREDICT_COMMANDS,
  async: ASYNC_COMMANDS,
  websocket: WEBSOCKET_COMMANDS,
  metrics: METRICS_COMMANDS,
  operate: OPERATE_COMMANDS,
  logs: LOGS_COMMANDS,
  truss: TRUSS_COMMANDS,
};

interface Manifest {
  contributes: { commands: Array<{ command: string }>; languageModelTools: Array<{ name: string; toolReferenceName?: string; inputSchema?: unknown }>; menus: Record<string, Array<{ command?: string; submenu?: string }>>; keybindings?: Array<{ command: string }> };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((entry) => entry.command);
const registered = Object.values(FEATURE_COMMANDS).flat();

describe('command registration', () => {
  it('registers every command package.json contributes, and contributes every command it registers', () => {
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  it('registers each command in one feature only', () => {
    const seen = new Map<string, string>();
    for (const [feature, ids] of Object.entries(FEATURE_COMMANDS)) {
      for (const id of ids) {
        assert.ok(!seen.has(id), `${id} is registered by ${seen.get(id)} and ${feature}`);
        seen.set(id, feature);
      }
    }
  });

  it('menus and keybindings name only registered commands', () => {
    const named = [
      ...Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((entry) => entry.command).filter((id): id is string => !!id)),
      ...(manifest.contributes.keybindings ?? []).map((entry) => entry.command),
    ];
    for (const id of named.filter((id) => id.startsWith('baseten.'))) assert.ok(registered.includes(id), `${id} is in a menu or keybinding but no feature registers it`);
  });

  it('registers every language-model tool package.json contributes, each with a # name and an input schema', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [...TOOL_NAMES].sort());
    for (const tool of tools) assert.ok(tool.toolReferenceName && tool.inputSchema, `${tool.name} can be referenced with # and has a schema`);
  });
});
