// Spans as the figures read them: by position, from an array of JobSpan objects (a manifest's
// attempts) or from a compact store of typed arrays (a run of 100,000 jobs keeps 22 bytes a span).
import type { JobSpan } from '../model/result.js';

/** The spans of a run, read by position. */
export interface SpanTable {
  readonly length: number;
  name(index: number): string;
  startMs(index: number): number;
  endMs(index: number): number;
  durationMs(index: number): number;
  /** 1 for a first attempt. */
  attempt(index: number): number;
  needs(index: number): readonly string[];
  /** How many jobs the spans belong to. */
  jobCount(): number;
}

const NONE: readonly string[] = Object.freeze([]);

/** A table over JobSpan objects. */
export function spanTable(spans: readonly JobSpan[]): SpanTable {
  const at = (index: number) => spans[index] as JobSpan;
  return {
    length: spans.length,
    name: (index) => at(index).name,
    startMs: (index) => at(index).startedAt.getTime(),
    endMs: (index) => at(index).endedAt.getTime(),
    durationMs: (index) => at(index).durationMs,
    attempt: (index) => at(index).attempt ?? 1,
    needs: (index) => at(index).needs ?? NONE,
    jobCount: () => new Set(spans.map((span) => span.name)).size,
  };
}

/** Spans kept as numbers, 22 bytes each: the start in ms, the end and the duration as 32-bit
 * floats after it (whole milliseconds exact up to 4.6 hours, within 2 ms up to 18), the job's
 * position and the attempt; the job's name and needs are looked up only when the figures are
 * made. Room for `expected` spans (a run's job count) is made at once, so that a run without
 * retries never grows it. */
export class SpanStore implements SpanTable {
  length = 0;
  private starts: Float64Array;
  private lengths: Float32Array;
  private durations: Float32Array;
  private jobs: Uint32Array;
  private attempts: Uint16Array;

  constructor(
    private readonly nameOf: (job: number) => string,
    private readonly needsOf: (job: number) => readonly string[],
    expected = 1024,
  ) {
    const room = Math.max(16, expected);
    this.starts = new Float64Array(room);
    this.lengths = new Float32Array(room);
    this.durations = new Float32Array(room);
    this.jobs = new Uint32Array(room);
    this.attempts = new Uint16Array(room);
  }

  /** Adds one attempt of job number `job`. */
  add(job: number, span: Pick<JobSpan, 'startedAt' | 'endedAt' | 'durationMs' | 'attempt'>): void {
    if (this.length === this.jobs.length) this.grow();
    const at = this.length;
    const start = span.startedAt.getTime();
    this.starts[at] = start;
    this.lengths[at] = Math.max(0, span.endedAt.getTime() - start);
    this.durations[at] = span.durationMs;
    this.jobs[at] = job;
    this.attempts[at] = Math.min(span.attempt ?? 1, 0xffff);
    this.length += 1;
  }

  name(index: number): string {
    return this.nameOf(this.jobs[index] as number);
  }
  startMs(index: number): number {
    return this.starts[index] as number;
  }
  endMs(index: number): number {
    return (this.starts[index] as number) + (this.lengths[index] as number);
  }
  durationMs(index: number): number {
    return this.durations[index] as number;
  }
  attempt(index: number): number {
    return this.attempts[index] as number;
  }
  needs(index: number): readonly string[] {
    return this.needsOf(this.jobs[index] as number);
  }
  jobCount(): number {
    let last = -1;
    for (let index = 0; index < this.length; index += 1) {
      last = Math.max(last, this.jobs[index] as number);
    }
    const seen = new Uint8Array(last + 1);
    let count = 0;
    for (let index = 0; index < this.length; index += 1) {
      const job = this.jobs[index] as number;
      count += 1 - (seen[job] as number);
      seen[job] = 1;
    }
    return count;
  }

  private grow(): void {
    const size = Math.ceil(this.jobs.length * 1.5);
    this.starts = grown(this.starts, new Float64Array(size));
    this.lengths = grown(this.lengths, new Float32Array(size));
    this.durations = grown(this.durations, new Float32Array(size));
    this.jobs = grown(this.jobs, new Uint32Array(size));
    this.attempts = grown(this.attempts, new Uint16Array(size));
  }
}

function grown<T extends Float64Array | Float32Array | Uint32Array | Uint16Array>(
  old: T,
  room: T,
): T {
  room.set(old as never);
  return room;
}
