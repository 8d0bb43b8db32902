/** The words above an inline proposal: what is happening, then the decisions with their keys. */

export interface LensFacts {
  state: 'streaming' | 'ready' | 'failed' | 'cancelled' | string;
  model: string;
  error?: string;
  /** Why a stopped answer stopped, when it was not the user's Stop. */
  stoppedBecause?: string;
  changes: { added: number; removed: number };
  mac: boolean;
}

export interface LensTitle {
  title: string;
  tooltip?: string;
  action?: 'accept' | 'reject';
}

function lines(count: number): string {
  return `${count} line${count === 1 ? '' : 's'}`;
}

export function changeSummary(changes: { added: number; removed: number }): string {
  const parts = [changes.added ? `${lines(changes.added)} added` : '', changes.removed ? `${lines(changes.removed)} removed` : ''].filter(Boolean);
  return parts.join(', ') || 'no change';
}

const KEYS_TOOLTIP = 'Change the keys in Keyboard Shortcuts (Baseten: Accept / Reject Proposed Change)';

export function lensTitles(facts: LensFacts): LensTitle[] {
  const acceptKey = facts.mac ? '⌘Enter' : 'Ctrl+Enter';
  const reject: LensTitle = { title: 'Reject (Esc)', tooltip: `Restore the original lines. ${KEYS_TOOLTIP}`, action: 'reject' };
  switch (facts.state) {
    case 'streaming':
      return [{ title: `$(loading~spin) ${facts.model} is answering…` }, { ...reject, title: 'Stop and Reject (Esc)' }];
    case 'ready':
      return [
        { title: `Accept (${acceptKey})`, tooltip: `Keep the added lines. ${KEYS_TOOLTIP}`, action: 'accept' },
        reject,
        { title: `${facts.model}: ${changeSummary(facts.changes)}` },
      ];
    default: {
      const error = facts.error ?? 'the stream ended early';
      const short = error.length > 90 ? `${error.slice(0, 89)}…` : error;
      const why = facts.state === 'failed' ? `$(warning) The answer was cut off: ${short}` : `$(debug-stop) Stopped before the answer ended${facts.stoppedBecause ? `: ${facts.stoppedBecause}` : ''}`;
      return [
        { title: why, tooltip: facts.error },
        { title: `Accept Partial (${acceptKey})`, tooltip: `Keep the lines that arrived. ${KEYS_TOOLTIP}`, action: 'accept' },
        reject,
      ];
    }
  }
}
