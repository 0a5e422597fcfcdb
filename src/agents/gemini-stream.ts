// Reading gemini's stream-json events: one readable line per event, tokens, the result.
import type { TokenUsage } from '../model/outcome.js';
import { formatUsage } from '../report/tokens.js';
import { type AgentEvent, pick, pickNumber, pickString } from './events.js';
import { firstLine, toolLine } from './text.js';
import type { StreamReader } from './types.js';
import { NO_TOKENS } from './usage.js';

/** Everything gemini's stream says, gathered as it is read. */
export class GeminiStream implements StreamReader {
  sessionId: string | null = null;
  model: string | null = null;
  result: AgentEvent | null = null;
  error: string | null = null;
  message = '';
  private readonly tools = new Map<string, string>();
  private tokens: TokenUsage | null = null;

  usage(): TokenUsage | null {
    return this.tokens;
  }

  take(event: AgentEvent): string | null {
    switch (event.type) {
      case 'init':
        this.sessionId = pickString(event, 'session_id') ?? this.sessionId;
        this.model = pickString(event, 'model') ?? this.model;
        return `session ${this.sessionId ?? '?'} (${this.model ?? 'model ?'})`;
      case 'message': {
        if (pick(event, 'role') !== 'assistant') return null;
        const content = pickString(event, 'content') ?? '';
        this.message = event.delta === true ? this.message + content : content;
        return firstLine(content);
      }
      case 'tool_use': {
        const line = toolLine(pickString(event, 'tool_name') ?? '?', pick(event, 'parameters'));
        this.tools.set(pickString(event, 'tool_id') ?? '', line);
        return `tool ${line}`;
      }
      case 'tool_result': {
        const tool = this.tools.get(pickString(event, 'tool_id') ?? '') ?? 'tool';
        if (pickString(event, 'status') === 'success') return `done ${tool}`;
        return `failed ${tool}: ${firstLine(pickString(event, 'error', 'message')) ?? ''}`;
      }
      case 'error':
        this.error = pickString(event, 'message') ?? 'error';
        return `error: ${firstLine(this.error) ?? ''}`;
      case 'result':
        return this.end(event);
      default:
        return null;
    }
  }

  private end(event: AgentEvent): string {
    this.result = event;
    // Gemini's input_tokens already count the cached ones (`input` is the rest).
    this.tokens = {
      ...NO_TOKENS,
      input_tokens: pickNumber(event, 'stats', 'input_tokens') ?? 0,
      cached_input_tokens: pickNumber(event, 'stats', 'cached') ?? 0,
      output_tokens: pickNumber(event, 'stats', 'output_tokens') ?? 0,
      reasoning_tokens: pickNumber(event, 'stats', 'thoughts') ?? 0,
      model: this.model,
    };
    const status = pickString(event, 'status') ?? '?';
    const error = pickString(event, 'error', 'message');
    return `result: ${status}, ${formatUsage(this.tokens)}${error ? `: ${firstLine(error)}` : ''}`;
  }
}
