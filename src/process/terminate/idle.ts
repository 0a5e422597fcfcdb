// Stall detection: a job whose log has not grown for the idle timeout is stopped. The output
// goes straight to the log file, so its size is the job's sign of life.
import { statSync } from 'node:fs';
import { monotonicMs } from '../clock.js';

/** Calls `onStall` once the file at `logPath` has not grown for `idleMs`; returns a canceller. */
export function watchIdle(logPath: string, idleMs: number, onStall: () => void): () => void {
  let size = -1;
  let changedAt = monotonicMs();
  const check = () => {
    let now: number;
    try {
      now = statSync(logPath).size;
    } catch {
      now = size;
    }
    if (now !== size) {
      size = now;
      changedAt = monotonicMs();
    } else if (monotonicMs() - changedAt >= idleMs) {
      clearInterval(timer);
      onStall();
    }
  };
  const timer = setInterval(check, Math.max(10, Math.min(1000, idleMs / 10)));
  check();
  return () => clearInterval(timer);
}
