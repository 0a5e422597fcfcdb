// The rows at the bottom of a terminal that the live view owns: each frame replaces the last.
// To replace a frame, the cursor goes up to its first row and everything below is erased. After
// a resize the terminal may have re-wrapped the old frame's lines onto more rows, so the count
// comes from the old lines' widths at the new width, never from the number of lines written.
import stringWidth from 'string-width';

const ESC = '\u001B[';
const SYNC_START = `${ESC}?2026h`;
const SYNC_END = `${ESC}?2026l`;
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

/** Draws frames in place on a terminal stream. */
export class ScreenRegion {
  /** The display widths of the lines on screen now. */
  private widths: number[] = [];
  private cursorHidden = false;
  private readonly showCursor = () => {
    if (this.cursorHidden) this.stream.write(SHOW_CURSOR);
  };

  constructor(private readonly stream: NodeJS.WriteStream) {
    process.once('exit', this.showCursor);
  }

  /** Replaces what the region shows with `lines` (each narrower than the terminal). */
  draw(lines: readonly string[]): void {
    const hide = this.cursorHidden ? '' : HIDE_CURSOR;
    this.cursorHidden = true;
    this.write(`${hide}${this.erase()}${lines.join('\n')}`);
    this.widths = lines.map((line) => stringWidth(line));
  }

  /** Empties the region, leaving the cursor where its first row was (to print a message). */
  clear(): void {
    this.write(this.erase());
    this.widths = [];
  }

  /** Leaves the last frame on screen, moves below it and shows the cursor again. */
  done(): void {
    if (this.widths.length > 0) this.stream.write('\n');
    this.widths = [];
    this.showCursor();
    this.cursorHidden = false;
    process.off('exit', this.showCursor);
  }

  /** The escapes that take the cursor to the region's first row and erase it all. */
  private erase(): string {
    if (this.widths.length === 0) return '';
    const columns = Math.max(1, this.stream.columns || 80);
    let rows = 0;
    for (const width of this.widths) rows += Math.max(1, Math.ceil(width / columns));
    return `\r${rows > 1 ? `${ESC}${rows - 1}A` : ''}${ESC}J`;
  }

  private write(text: string): void {
    if (text !== '') this.stream.write(`${SYNC_START}${text}${SYNC_END}`);
  }
}
