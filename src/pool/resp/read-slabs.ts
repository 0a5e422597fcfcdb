// Where a Redis connection's socket reads land: consecutive reads fill one large buffer (a slab)
// one after the other, so that a log chunk spanning two reads lies in one piece of memory and
// is handed on as a view of it, not copied (net's `onread`). A slab is dropped by the reader
// once it is nearly full, and freed when the last reply viewing it is written.

/** Bytes of one slab. */
export const SLAB_BYTES = 4 * 1024 * 1024;
/** A slab with less room than this left is replaced for the next read. */
const MIN_READ_BYTES = 64 * 1024;

/** The `onread` option of net.connect / tls.connect: reads handed to `onData` as views. */
export function slabReads(onData: (chunk: Buffer) => void) {
  let slab = Buffer.allocUnsafe(SLAB_BYTES);
  let used = 0;
  return {
    buffer: () => {
      if (SLAB_BYTES - used < MIN_READ_BYTES) {
        slab = Buffer.allocUnsafe(SLAB_BYTES);
        used = 0;
      }
      return slab.subarray(used);
    },
    callback: (bytes: number, into: Uint8Array) => {
      // `into` is the view handed out for this read: it starts at `used`.
      const chunk = Buffer.from(into.buffer, into.byteOffset, bytes);
      used += bytes;
      onData(chunk);
      return true;
    },
  };
}
