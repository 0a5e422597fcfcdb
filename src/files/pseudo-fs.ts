// Kernel file systems (/proc, /sys, ...) where no log can live: recognised by their magic number,
// so that a log directory there fails at once with a clear error instead of a loop or an odd errno.
import { statfsSync } from 'node:fs';

/** statfs(2) f_type values of the kernel's virtual file systems, by name. */
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
]);

/** The name of the kernel file system `directory` is on ("proc", "sysfs", ...); null for a real one. */
export function pseudoFileSystem(directory: string): string | null {
  try {
    return PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(directory).type)) ?? null;
  } catch {
    return null;
  }
}
