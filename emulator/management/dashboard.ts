/** `{base}/dashboard/…`: a small HTML page standing in for app.baseten.co, so dashboard links open. */
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { sendText } from '../core/exchange';
import { chainView, modelView } from './views';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function serveDashboard(core: Pick<EmulatorCore, 'state' | 'baseUrl'>, exchange: Exchange, rest: string[]): void {
  const [section, id] = rest;
  const { state } = core;
  const base = `${core.baseUrl}/dashboard`;
  const model = section === 'models' ? state.models.find((candidate) => candidate.id === id) : undefined;
  const chain = section === 'chains' ? state.chains.find((candidate) => candidate.id === id) : undefined;
  let body: string;
  if (model) {
    const rows = model.deployments
      .map((d) => `<tr><td>${escape(d.name)}</td><td><code>${escape(d.id)}</code></td><td>${escape(d.status)}</td><td>${d.activeReplicaCount}</td></tr>`)
      .join('');
    body = `<h1>Model ${escape(model.name)}</h1><p>ID <code>${escape(model.id)}</code></p><table><tr><th>Deployment</th><th>ID</th><th>Status</th><th>Replicas</th></tr>${rows}</table>`;
  } else if (chain) {
    body = `<h1>Chain ${escape(chain.name)}</h1><pre>${escape(JSON.stringify(chainView(chain), null, 2))}</pre>`;
  } else {
    const models = state.models.map((m) => `<li><a href="${base}/models/${escape(m.id)}/overview">${escape(String(modelView(m).name))}</a></li>`).join('');
    const chains = state.chains.map((c) => `<li><a href="${base}/chains/${escape(c.id)}/overview">${escape(c.name)}</a></li>`).join('');
    const note = section ? `<p>Nothing to show for <code>/${escape(rest.join('/'))}</code>.</p>` : '';
    body = `<h1>${escape(state.user.workspace_name ?? 'Workspace')}</h1>${note}<h2>Models</h2><ul>${models}</ul><h2>Chains</h2><ul>${chains}</ul>`;
  }
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Baseten emulator dashboard</title></head><body><p><em>Baseten emulator dashboard</em></p>${body}</body></html>`;
  sendText(exchange, 200, page, 'text/html; charset=utf-8');
}
