// A worker prints two lines per job (started, finished): at hundreds of short jobs a second,
// one write per line is a write system call each. The lines of one turn of the event loop go
// out in one write at the end of that turn (and at exit), in the order they were printed.

/** `print`, with the lines of one turn of the event loop written together. */
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
    if (lines.length === 0) setImmediate(flush);
    lines.push(line);
  };
}
