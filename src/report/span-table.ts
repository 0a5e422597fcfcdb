// Spans as the figures read them: by position, from an array of JobSpan objects (a manifest's
// attempts) or from a compact store of typed arrays (a run of 100,000 jobs keeps 32 bytes a span).
import type { JobSpan } from '../model.js';

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

/** Spans kept as numbers: each names its job by position, and the job's name and needs are
 * looked up only when the figures are made. */
export class SpanStore implements SpanTable {
  length = 0;
  private times = new Float64Array(3 * 1024);
  private jobs = new Uint32Array(1024);
  private attempts = new Uint32Array(1024);

  constructor(
    private readonly nameOf: (job: number) => string,
    private readonly needsOf: (job: number) => readonly string[],
  ) {}

  /** Adds one attempt of job number `job`. */
  add(job: number, span: Pick<JobSpan, 'startedAt' | 'endedAt' | 'durationMs' | 'attempt'>): void {
    if (this.length === this.jobs.length) this.grow();
    const at = this.length;
    this.times[3 * at] = span.startedAt.getTime();
    this.times[3 * at + 1] = span.endedAt.getTime();
    this.times[3 * at + 2] = span.durationMs;
    this.jobs[at] = job;
    this.attempts[at] = span.attempt ?? 1;
    this.length += 1;
  }

  name(index: number): string {
    return this.nameOf(this.jobs[index] as number);
  }
  startMs(index: number): number {
    return this.times[3 * index] as number;
  }
  endMs(index: number): number {
    return this.times[3 * index + 1] as number;
  }
  durationMs(index: number): number {
    return this.times[3 * index + 2] as number;
  }
  attempt(index: number): number {
    return this.attempts[index] as number;
  }
  needs(index: number): readonly string[] {
    return this.needsOf(this.jobs[index] as number);
  }
  jobCount(): number {
    const seen = new Set<number>();
    for (let index = 0; index < this.length; index += 1) seen.add(this.jobs[index] as number);
    return seen.size;
  }

  private grow(): void {
    const size = this.jobs.length * 2;
    const times = new Float64Array(3 * size);
    times.set(this.times);
    const jobs = new Uint32Array(size);
    jobs.set(this.jobs);
    const attempts = new Uint32Array(size);
    attempts.set(this.attempts);
    this.times = times;
    this.jobs = jobs;
    this.attempts = attempts;
  }
}
