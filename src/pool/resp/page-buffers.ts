// Buffers that begin on a memory page. On this project's machines (AMD EPYC, Linux 6) the
// kernel's copy into user memory (a file's pread, a socket's read) runs about four times slower
// when the destination begins 8 to 80 bytes into a page, which is exactly where a large
// Buffer.allocUnsafe begins (malloc serves it from mmap, 16 bytes past the page's start):
// reading 512 MiB of log from the page cache took 0.3 s of system time there, 0.07 s from a
// page's start (BENCHMARKS.md, "Page-aligned reads"). JavaScript cannot ask where a Buffer lies;
// WebAssembly memory is mapped by V8 on whole pages, so a view of it begins on one.

// The one part of the WebAssembly global used here (the project's lib, ES2023, declares none).
declare const WebAssembly: {
  Memory: new (size: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
};

/** Bytes of a WebAssembly page (the unit its memory grows by). */
const WASM_PAGE = 64 * 1024;

/** `count` Buffers of `bytes` each (a multiple of 4 KiB keeps every one page-aligned), views of one
 * page-aligned memory; plain Buffers if WebAssembly memory cannot be had (a `ulimit -v`). */
export function pageBuffers(count: number, bytes: number): Buffer[] {
  let memory: ArrayBuffer | null = null;
  try {
    const pages = Math.ceil((count * bytes) / WASM_PAGE);
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
  } catch {
    memory = null;
  }
  return Array.from({ length: count }, (_, index) =>
    memory === null ? Buffer.allocUnsafe(bytes) : Buffer.from(memory, index * bytes, bytes),
  );
}
