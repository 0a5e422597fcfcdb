// Job names by position, with a lookup by name. While the names are the default ones (job1,
// job2, ... in order) none is stored: each is made when asked for, so that 100,000 jobs from a
// file keep no name string and no index entry. The first other name stores them all.

/** The default name of job number `index` (from 0). */
export function defaultJobName(index: number): string {
  return `job${index + 1}`;
}

const DEFAULT_NAME = /^job([1-9]\d*)$/;

/** Names by position; `add` keeps the first position of a name given twice. */
export class NameList {
  /** While null, the names are job1..job`length`. */
  private stored: string[] | null = null;
  private index: Map<string, number> | null = null;
  private defaults = 0;

  /** True while every name is the default one of its position. */
  get allDefault(): boolean {
    return this.stored === null;
  }

  /** How many names. */
  get length(): number {
    return this.stored === null ? this.defaults : this.stored.length;
  }

  /** Name number `at` (from 0). */
  at(at: number): string {
    if (this.stored !== null) return this.stored[at] as string;
    return defaultJobName(at);
  }

  /** The position of `name`; undefined when it is not in the list. */
  indexOf(name: string): number | undefined {
    if (this.index !== null) return this.index.get(name);
    const number = DEFAULT_NAME.exec(name)?.[1];
    if (number === undefined) return undefined;
    const at = Number(number) - 1;
    return at < this.defaults ? at : undefined;
  }

  /** Adds `name` unless it is in the list already; returns its position. */
  add(name: string): number {
    const known = this.indexOf(name);
    if (known !== undefined) return known;
    if (this.stored === null && name === defaultJobName(this.defaults)) {
      this.defaults += 1;
      return this.defaults - 1;
    }
    if (this.stored === null) this.store();
    const at = (this.stored as string[]).length;
    (this.stored as string[]).push(name);
    this.index?.set(name, at);
    return at;
  }

  /** Every name, as an array (made anew at each call). */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, at) => this.at(at));
  }

  private store(): void {
    this.stored = this.toArray();
    this.index = new Map(this.stored.map((name, at) => [name, at]));
  }
}
