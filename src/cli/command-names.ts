// The names of parex's commands, apart from their code, so that the executable can choose a
// command's bundle without loading any command.

/** Every command, in the order of the help. */
export const COMMAND_NAMES = [
  'exec',
  'run',
  'prp',
  'status',
  'logs',
  'runs',
  'report',
  'apply',
  'diff',
  'speedup',
  'clean',
  'name',
  'selftest',
  'worker',
] as const;

/** The name of one command. */
export type CommandName = (typeof COMMAND_NAMES)[number];
