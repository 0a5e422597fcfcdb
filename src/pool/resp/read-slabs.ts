// Where a Redis connection's socket reads land: consecutive reads fill one large buffer (a slab)
// one after the other, so that a log chunk spanning two reads lies in one piece of memory and
// is handed on as a view of it, not copied (net's `onread`). Nearly full, a slab is retired; its
// user recycles retired slabs once nothing views them any more (their log chunks written), so
// that reading 1 GiB does not allocate (and fault in, and collect) 1 GiB of fresh memory.

/** Bytes of one slab. */
export const SLAB_BYTES = 4 * 1024 * 1024;
/** A slab with less room than this left is retired before the next read. */
const MIN_READ_BYTES = 64 * 1024;
/** Recycled slabs kept for reuse at most (the rest are left to the garbage collector). */
const KEPT_SLABS = 4;

/** A connection's read buffers: `onread` for net.connect / tls.connect, reads go to `onData`. */
export class SlabReads {
  /** The number of the slab reads now go into (counting from 0). */
  current = 0;
  private slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  private used = 0;
  private readonly retired: { number: number; slab: Buffer }[] = [];
  private readonly kept: Buffer[] = [];
  /** Settles once every `recycleAfter` so far has recycled. */
  private recycling: Promise<unknown> = Promise.resolve();

  constructor(private readonly onData: (chunk: Buffer) => void) {}

  /** The `onread` option: each read lands right after the one before it. */
  readonly onread = {
    buffer: (): Buffer => {
      if (SLAB_BYTES - this.used < MIN_READ_BYTES) {
        this.retired.push({ number: this.current, slab: this.slab });
        this.slab = this.kept.pop() ?? Buffer.allocUnsafe(SLAB_BYTES);
        this.used = 0;
        this.current += 1;
      }
      return this.slab.subarray(this.used);
    },
    callback: (bytes: number, into: Uint8Array): boolean => {
      // `into` is the view handed out for this read: it starts at `used`.
      const chunk = Buffer.from(into.buffer, into.byteOffset, bytes);
      this.used += bytes;
      this.onData(chunk);
      return true;
    },
  };

  /** The slabs read into so far are recycled once `written` (and every earlier one) settles:
   * the replies read from them are held by nothing else after that. */
  recycleAfter(written: readonly Promise<unknown>[]): void {
    const upTo = this.current;
    this.recycling = Promise.allSettled([this.recycling, ...written]).then(() =>
      this.recycle(upTo),
    );
  }

  /** Nothing views the slabs numbered below `number` any more: they may be read into again. */
  private recycle(number: number): void {
    while (this.retired.length > 0 && (this.retired[0]?.number ?? number) < number) {
      const { slab } = this.retired.shift() as { slab: Buffer };
      if (this.kept.length < KEPT_SLABS) this.kept.push(slab);
    }
  }
}
