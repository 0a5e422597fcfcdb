// Reading claude's stream-json messages: one readable line per message, tokens, the result.
import type { TokenUsage } from '../model/outcome.js';
import { formatUsage } from '../report/tokens.js';
import { type AgentEvent, pick, pickNumber, pickString } from './events.js';
import { firstLine, toolLine } from './text.js';
import type { PermissionDenial, StreamReader } from './types.js';
import { addUsage, NO_TOKENS } from './usage.js';

/** Everything claude's stream says, gathered as it is read. */
export class ClaudeStream implements StreamReader {
  sessionId: string | null = null;
  model: string | null = null;
  result: AgentEvent | null = null;
  /** Usage of each API message so far, by message id (a message repeats it per content block). */
  private readonly messages = new Map<string, TokenUsage>();
  private final: TokenUsage | null = null;

  usage(): TokenUsage | null {
    if (this.final !== null) return this.final;
    if (this.messages.size === 0) return null;
    return { ...[...this.messages.values()].reduce(addUsage, NO_TOKENS), model: this.model };
  }

  denials(): PermissionDenial[] {
    const list = pick(this.result, 'permission_denials');
    if (!Array.isArray(list)) return [];
    return list.map((entry) => ({
      tool: pickString(entry, 'tool_name') ?? '?',
      path:
        pickString(entry, 'tool_input', 'file_path') ??
        pickString(entry, 'tool_input', 'notebook_path') ??
        null,
      command: pickString(entry, 'tool_input', 'command') ?? null,
    }));
  }

  take(event: AgentEvent): string | null {
    if (event.type === 'system') return this.system(event);
    if (event.type === 'assistant') return this.assistant(event);
    if (event.type === 'user') return this.toolResults(event);
    if (event.type === 'result') return this.end(event);
    return null;
  }

  private system(event: AgentEvent): string | null {
    const subtype = pickString(event, 'subtype');
    if (subtype === 'init') {
      this.sessionId = pickString(event, 'session_id') ?? this.sessionId;
      this.model = pickString(event, 'model') ?? this.model;
      const mode = pickString(event, 'permissionMode');
      return `session ${this.sessionId ?? '?'} (${this.model ?? 'model ?'}${mode ? `, permission mode ${mode}` : ''})`;
    }
    if (subtype === 'api_retry') {
      const status = pick(event, 'error_status') ?? 'error';
      return `API ${status}: retry ${pickNumber(event, 'attempt') ?? '?'} of ${pickNumber(event, 'max_retries') ?? '?'}`;
    }
    return null;
  }

  private assistant(event: AgentEvent): string | null {
    const id = pickString(event, 'message', 'id');
    const usage = pick(event, 'message', 'usage');
    if (id !== undefined && usage !== undefined)
      this.messages.set(id, anthropicUsage(usage, null, this.model));
    const content = pick(event, 'message', 'content');
    const lines: string[] = [];
    for (const block of Array.isArray(content) ? content : []) {
      const type = pickString(block, 'type');
      if (type === 'text') lines.push(firstLine(pickString(block, 'text')) ?? '');
      else if (type === 'thinking') lines.push('thinking');
      else if (type === 'tool_use')
        lines.push(`tool ${toolLine(pickString(block, 'name') ?? '?', pick(block, 'input'))}`);
    }
    const shown = lines.filter((line) => line !== '');
    return shown.length === 0 ? null : shown.join('; ');
  }

  private toolResults(event: AgentEvent): string | null {
    const content = pick(event, 'message', 'content');
    for (const block of Array.isArray(content) ? content : []) {
      if (pickString(block, 'type') === 'tool_result' && pick(block, 'is_error') === true) {
        const text = pick(block, 'content');
        return `tool error: ${firstLine(typeof text === 'string' ? text : JSON.stringify(text)) ?? ''}`;
      }
    }
    return null;
  }

  private end(event: AgentEvent): string {
    this.result = event;
    this.sessionId = pickString(event, 'session_id') ?? this.sessionId;
    this.final = resultUsage(event, this.model);
    const subtype = pickString(event, 'subtype') ?? '?';
    const turns = pickNumber(event, 'num_turns');
    const head = event.is_error === true ? `result: error (${subtype})` : `result: ${subtype}`;
    const tail = event.is_error === true ? `: ${firstLine(pickString(event, 'result')) ?? ''}` : '';
    return `${head}${turns === undefined ? '' : `, ${turns} turns`}, ${formatUsage(this.final)}${tail}`;
  }
}

/** Anthropic's usage in parex's meaning: input counts the cache reads and writes too. */
function anthropicUsage(usage: unknown, cost: number | null, model: string | null): TokenUsage {
  const input = pickNumber(usage, 'input_tokens') ?? 0;
  const reads = pickNumber(usage, 'cache_read_input_tokens') ?? 0;
  const writes = pickNumber(usage, 'cache_creation_input_tokens') ?? 0;
  return {
    input_tokens: input + reads + writes,
    cached_input_tokens: reads,
    cache_write_tokens: writes,
    output_tokens: pickNumber(usage, 'output_tokens') ?? 0,
    reasoning_tokens: 0,
    cost_usd: cost,
    model,
  };
}

/** The result's totals: modelUsage (every model, subagents included) when given, else usage. */
function resultUsage(result: AgentEvent, model: string | null): TokenUsage {
  const cost = pickNumber(result, 'total_cost_usd') ?? null;
  const perModel = pick(result, 'modelUsage');
  if (typeof perModel === 'object' && perModel !== null && Object.keys(perModel).length > 0) {
    let total = NO_TOKENS;
    for (const entry of Object.values(perModel)) {
      total = addUsage(
        total,
        anthropicUsage(
          {
            input_tokens: pickNumber(entry, 'inputTokens'),
            cache_read_input_tokens: pickNumber(entry, 'cacheReadInputTokens'),
            cache_creation_input_tokens: pickNumber(entry, 'cacheCreationInputTokens'),
            output_tokens: pickNumber(entry, 'outputTokens'),
          },
          null,
          null,
        ),
      );
    }
    return { ...total, cost_usd: cost, model: model ?? Object.keys(perModel)[0] ?? null };
  }
  return anthropicUsage(pick(result, 'usage'), cost, model);
}
