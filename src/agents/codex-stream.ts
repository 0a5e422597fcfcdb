// Reading codex's `--json` events: one readable line per event, tokens, failures and denials.
import type { TokenUsage } from '../model/outcome.js';
import { formatUsage } from '../report/tokens.js';
import { type AgentEvent, pick, pickNumber, pickString } from './events.js';
import { firstLine, shortPath } from './text.js';
import type { PermissionDenial, StreamReader } from './types.js';
import { addUsage, NO_TOKENS } from './usage.js';

/** Everything codex's stream says, gathered as it is read. */
export class CodexStream implements StreamReader {
  sessionId: string | null = null;
  completed = false;
  failure: string | null = null;
  lastMessage: string | null = null;
  readonly denials: PermissionDenial[] = [];
  private tokens: TokenUsage | null = null;

  usage(): TokenUsage | null {
    return this.tokens;
  }

  take(event: AgentEvent): string | null {
    switch (event.type) {
      case 'thread.started':
        this.sessionId = pickString(event, 'thread_id') ?? null;
        return `session ${this.sessionId ?? '?'}`;
      case 'turn.completed': {
        this.completed = true;
        // Codex counts cached tokens inside input_tokens: the meaning parex uses for every agent.
        const turn: TokenUsage = {
          ...NO_TOKENS,
          input_tokens: pickNumber(event, 'usage', 'input_tokens') ?? 0,
          cached_input_tokens: pickNumber(event, 'usage', 'cached_input_tokens') ?? 0,
          output_tokens: pickNumber(event, 'usage', 'output_tokens') ?? 0,
          reasoning_tokens: pickNumber(event, 'usage', 'reasoning_output_tokens') ?? 0,
        };
        this.tokens = addUsage(this.tokens ?? NO_TOKENS, turn);
        return `turn completed: ${formatUsage(this.tokens)}`;
      }
      case 'turn.failed':
      case 'error': {
        const message =
          pickString(event, 'error', 'message') ?? pickString(event, 'message') ?? event.type;
        this.failure = message;
        return `${event.type === 'error' ? 'error' : 'turn failed'}: ${firstLine(message) ?? ''}`;
      }
      case 'item.started':
      case 'item.completed':
        return this.item(event.type === 'item.completed', pick(event, 'item'));
      default:
        return null;
    }
  }

  private item(done: boolean, item: unknown): string | null {
    const type = pickString(item, 'type');
    if (type === 'command_execution') {
      const command = firstLine(pickString(item, 'command')) ?? '';
      if (!done) return `$ ${command}`;
      const code = pickNumber(item, 'exit_code');
      return `$ ${command} → ${code === undefined ? pickString(item, 'status') : `exit ${code}`}`;
    }
    if (!done) return null;
    if (type === 'agent_message') {
      this.lastMessage = pickString(item, 'text') ?? this.lastMessage;
      return firstLine(this.lastMessage ?? undefined);
    }
    if (type === 'reasoning') return 'thinking';
    if (type === 'file_change') return this.fileChange(item);
    if (type === 'mcp_tool_call') {
      return `tool ${pickString(item, 'server') ?? '?'}.${pickString(item, 'tool') ?? '?'}`;
    }
    if (type === 'web_search') return `search ${firstLine(pickString(item, 'query')) ?? ''}`;
    if (type === 'todo_list') {
      const items = pick(item, 'items');
      const list = Array.isArray(items) ? items : [];
      return `plan: ${list.filter((entry) => pick(entry, 'completed') === true).length} of ${list.length} done`;
    }
    if (type === 'error') return `error: ${firstLine(pickString(item, 'message')) ?? ''}`;
    return null;
  }

  private fileChange(item: unknown): string {
    const changes = pick(item, 'changes');
    const list = Array.isArray(changes) ? changes : [];
    const failed = pickString(item, 'status') === 'failed';
    const paths = list.map((change) => pickString(change, 'path') ?? '?');
    // A change codex's sandbox refused: its file_change item ends "failed".
    if (failed) {
      for (const file of paths)
        this.denials.push({ tool: 'file_change', path: file, command: null });
    }
    const verb = list.every((change) => pickString(change, 'kind') === 'delete')
      ? 'delete'
      : 'edit';
    return `${verb} ${paths.map(shortPath).join(', ')}${failed ? ' (failed)' : ''}`;
  }
}
