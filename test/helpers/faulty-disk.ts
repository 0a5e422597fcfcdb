// A disk that fails on demand, with the kernel's own errors (no seam in parex): an ext4 file
// system in a file, mounted through a loop device for the test and unmounted after it.
// - EROFS: mounted with errors=remount-ro; writing to /sys/fs/ext4/DEV/trigger_fs_error makes
//   ext4 record an error and turn read-only, so every later write, through files already open
//   too, fails with EROFS. (A tmpfs cannot do it: `mount -o remount,ro` is refused with EBUSY
//   while parex holds the manifest open for writing.)
// - EIO: the FS_IOC_SHUTDOWN ioctl (what xfs_io's "shutdown" does), sent by perl: every later
//   write and read fails with EIO, as on a disk that died.
// Needs root, loop devices and mkfs.ext4; `faultyDisk` says why when any is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The errors a faulty disk can be made to return. */
export type DiskFault = 'EROFS' | 'EIO';

/** A mounted disk: where it is, and the shell line that breaks it (a job can run it). */
export interface FaultyDisk {
  readonly dir: string;
  readonly breakCommand: string;
}

/** FS_IOC_SHUTDOWN with EXT4_GOING_FLAGS_NOLOGFLUSH: the file system stops at once. */
const SHUTDOWN = (dir: string) =>
  `perl -e 'open(my $d, "<", $ARGV[0]) or die "$!"; my $f = pack("L", 2); ioctl($d, 0x8004587D, $f) or die "shutdown: $!"' ${dir}`;

/** Mounts a fresh 32 MB ext4 disk, unmounted after the test; a reason string when impossible. */
export function faultyDisk(
  t: { after: (fn: () => void) => void },
  fault: DiskFault,
): FaultyDisk | string {
  if (process.getuid?.() !== 0) return 'mounting a loop device needs root';
  const mkfs = spawnSync('mkfs.ext4', ['-V']);
  if (mkfs.error !== undefined) return 'mkfs.ext4 is not installed (Debian: e2fsprogs)';
  if (fault === 'EIO' && spawnSync('perl', ['-e', '1']).status !== 0) return 'perl is missing';
  const scratch = mkdtempSync(path.join(tmpdir(), 'parex-faulty-'));
  const image = path.join(scratch, 'disk.img');
  const dir = path.join(scratch, 'disk');
  let mounted = false;
  t.after(() => {
    if (mounted) spawnSync('umount', ['-l', dir]);
    rmSync(scratch, { recursive: true, force: true });
  });
  spawnSync('mkdir', [dir]);
  spawnSync('truncate', ['-s', '32M', image]);
  const made = spawnSync('mkfs.ext4', ['-q', '-F', image], { encoding: 'utf8' });
  if (made.status !== 0) return `mkfs.ext4 failed: ${made.stderr.trim()}`;
  const mount = spawnSync('mount', ['-o', 'loop,errors=remount-ro', image, dir], {
    encoding: 'utf8',
  });
  if (mount.status !== 0) return `cannot mount a loop device here: ${mount.stderr.trim()}`;
  mounted = true;
  if (fault === 'EIO') return { dir, breakCommand: SHUTDOWN(dir) };
  const device = mountedDevice(dir);
  const trigger = `/sys/fs/ext4/${path.basename(device ?? '?')}/trigger_fs_error`;
  if (device === null || !existsSync(trigger)) return `this kernel has no ${trigger}`;
  return { dir, breakCommand: `echo parex-test > ${trigger}` };
}

/** The device mounted at `dir` (/dev/loopN), from /proc/mounts. */
function mountedDevice(dir: string): string | null {
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [device, point] = line.split(' ');
    if (point === dir && device !== undefined) return device;
  }
  return null;
}
