// A worker prints two lines per job (started, finished): at hundreds of short jobs a second,
// one write per line is a system call each, and a wake-up of whoever reads them. The lines of
// GATHER_MS go out in one write (and those left at exit), in the order they were printed.

/** How long a line may wait for others to share its write. */
const GATHER_MS = 10;

/** `print`, with the lines of GATHER_MS written together. */
export function gatheredPrint(print: (text: string) => void): (line: string) => void {
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join('\n');
    lines = [];
    print(text);
  };
  process.once('exit', flush);
  return (line) => {
    if (lines.length === 0) setTimeout(flush, GATHER_MS);
    lines.push(line);
  };
}
