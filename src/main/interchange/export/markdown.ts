// A readable transcript in Markdown (GitHub-flavoured): a heading per turn, each model step with
// its model and usage, thinking marked as such in a folded block, tool calls and results folded
// (<details>) with the arguments and result in fenced blocks, sub-agent conversations indented
// as quotes. Written node by node: nothing but the current path of the tree is kept.
import type { LogNode } from '../../../shared/domain.js';
import type { LogPageWithChunks } from '../../logs/stream-export.js';
import type { TextOut } from './out.js';
import type { ExportHeader, SessionExporter } from './types.js';

/** A fence longer than any run of backticks in the text, so the text can never close it. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

/** Escapes what would turn into HTML inside a <summary>. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function time(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function usage(n: LogNode): string {
  const parts = [`${n.tokensIn.toLocaleString('en-US')} in`, `${n.tokensOut.toLocaleString('en-US')} out`];
  if (n.tokensReasoning > 0) parts.push(`${n.tokensReasoning.toLocaleString('en-US')} reasoning`);
  if (typeof n.metadata.tokensCached === 'number' && n.metadata.tokensCached > 0) parts.push(`${n.metadata.tokensCached.toLocaleString('en-US')} cached`);
  if (n.costUsd > 0) parts.push(`$${n.costUsd.toFixed(4)}`);
  return parts.join(' · ');
}

export class MarkdownExporter implements SessionExporter {
  /** Depth at which each open sub-agent conversation starts (for quoting). */
  #subDepths: number[] = [];
  #turn = 0;

  begin(h: ExportHeader, out: TextOut): void {
    const s = h.session;
    const lines = [
      `# ${s.name}`,
      '',
      `- Agent: ${h.agentName} (version ${h.pinnedVersion.version})`,
      `- Status: ${s.status.replace(/_/g, ' ')}${s.status === 'budget_reached' && s.error ? ` — ${s.error}` : ''}`,
      ...(s.startedAt ? [`- Started: ${time(s.startedAt)}`] : []),
      ...(s.endedAt ? [`- Ended: ${time(s.endedAt)}`] : []),
      `- Usage: ${s.tokensIn.toLocaleString('en-US')} tokens in · ${s.tokensOut.toLocaleString('en-US')} out${s.costUsd > 0 ? ` · $${s.costUsd.toFixed(4)}` : ''}`,
      `- Log nodes: ${h.total.toLocaleString('en-US')}`,
      `- Exported: ${time(h.exportedAt)}`,
      '',
    ];
    void out.write(`${lines.join('\n')}\n`);
  }

  async page(p: LogPageWithChunks, out: TextOut): Promise<void> {
    for (const n of p.nodes) {
      while (this.#subDepths.length > 0 && this.#subDepths[this.#subDepths.length - 1]! >= n.depth) this.#subDepths.pop();
      if (n.kind === 'user_message' && n.depth > 0) this.#subDepths.push(n.depth);
      const text = this.#render(n);
      const quote = '> '.repeat(this.#subDepths.length);
      await out.write(quote ? `${text.replace(/^/gm, quote).replace(/> $/gm, '>')}\n` : `${text}\n`);
    }
  }

  end(): void {}

  #render(n: LogNode): string {
    const status = n.status === 'complete' ? '' : ` _(${n.status})_`;
    switch (n.kind) {
      case 'user_message':
        if (n.depth === 0) return `## Turn ${++this.#turn} — user · ${time(n.startedAt)}${status}\n\n${n.content}\n`;
        return `**Sub-agent prompt** · ${time(n.startedAt)}${status}\n\n${n.content}\n`;
      case 'assistant_message': {
        const head = `### Assistant${n.model ? ` · ${n.model}` : ''} · ${time(n.startedAt)}${status}\n\n_Usage: ${usage(n)}_\n`;
        return n.content ? `${head}\n${n.content}\n` : head;
      }
      case 'thought':
        return `<details>\n<summary>💭 Thinking${status}</summary>\n\n${fence(n.content)}\n\n</details>\n`;
      case 'action': {
        const args = n.toolArgs === null ? '' : `\n\n**Arguments**\n\n${fence(JSON.stringify(n.toolArgs, null, 2), 'json')}`;
        const took = n.durationMs !== null ? ` · ${n.durationMs} ms` : '';
        return `<details>\n<summary>🔧 Tool call: <code>${html(n.toolName ?? 'tool')}</code>${took}${status}</summary>${args}\n\n</details>\n`;
      }
      case 'observation':
        return `<details>\n<summary>📋 Result${n.toolName ? ` of <code>${html(n.toolName)}</code>` : ''}${n.status === 'error' ? ' (error)' : ''}</summary>\n\n${fence(n.content)}\n\n</details>\n`;
      case 'error':
        return `> **Error:** ${n.content.replace(/\n/g, '\n> ')}\n`;
      default:
        return `_System${status}:_ ${n.content}\n`;
    }
  }
}
