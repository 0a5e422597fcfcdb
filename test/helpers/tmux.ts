// A real terminal for tests: a private tmux server with a fixed-size window.
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

/** A tmux window running one shell command. */
export interface Terminal {
  /** The screen as text, one string per row; with `escapes`, keeping colour sequences. */
  screen(escapes?: boolean): string;
  /** Types keys, e.g. "C-c". */
  keys(...keys: string[]): void;
  /** Changes the window's size, as a user dragging the terminal would. */
  resize(columns: number, rows: number): void;
  /** Resolves once the screen contains `text`; rejects after `limitMs`. */
  waitFor(text: string, limitMs?: number): Promise<string>;
  /** Resolves with the first screen for which `holds` is true (`what` names it in the error). */
  waitUntil(holds: (shown: string) => boolean, what: string, limitMs?: number): Promise<string>;
}

/** Starts `command` (run by bash) in a new tmux server owned by this test; stopped after the test. */
export function openTerminal(t: TestContext, command: string, columns = 100, rows = 30): Terminal {
  const socket = `parex-test-${process.pid}-${Math.random().toString(16).slice(2)}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux(
    'new-session',
    '-d',
    '-s',
    'main',
    '-x',
    String(columns),
    '-y',
    String(rows),
    'bash',
    '-c',
    command,
  );
  t.after(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
  });
  const screen = (escapes = false) =>
    tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'main');
  const waitUntil = async (holds: (shown: string) => boolean, what: string, limitMs = 30_000) => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const shown = screen();
      if (holds(shown)) return shown;
      if (Date.now() > deadline)
        throw new Error(`${what} never appeared; the screen shows:\n${shown}`);
      await sleep(100);
    }
  };
  return {
    screen,
    keys: (...keys) => {
      tmux('send-keys', '-t', 'main', ...keys);
    },
    resize: (width, height) => {
      tmux('resize-window', '-t', 'main', '-x', String(width), '-y', String(height));
    },
    waitFor: (text, limitMs = 30_000) =>
      waitUntil((shown) => shown.includes(text), `"${text}"`, limitMs),
    waitUntil,
  };
}
