// Redis commands as RESP2 bytes: the text parts (the command, the stream name, the field names)
// become one header string, and a Buffer argument (a log chunk) is written as it is, next to
// them, so that a corked socket write (one writev) sends it without copying it.

/** An argument: text (UTF-8), or bytes written as they are. */
export type Arg = string | Buffer;

/** The pieces to write for `args`, in order: UTF-8 strings and Buffers. */
export function encodeCommand(args: readonly Arg[]): Arg[] {
  const pieces: Arg[] = [];
  let head = `*${args.length}\r\n`;
  for (const arg of args) {
    if (typeof arg === 'string') {
      head += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    } else {
      pieces.push(`${head}$${arg.length}\r\n`, arg);
      head = '\r\n';
    }
  }
  pieces.push(head);
  return pieces;
}
