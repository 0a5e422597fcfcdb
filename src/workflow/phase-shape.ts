// What shapes a phase, hashed part by part: --resume reuses a phase only when none of the parts
// changed since its last success, and `--dry-run --resume` says which did.
import { HashSlot } from './hash.js';

/** The parts of a phase that decide what it does, each as a hash (or the value, when short). */
export interface PhaseShape {
  /** sha256 of the rendered prompt; null for a command phase. */
  readonly prompt: string | null;
  /** sha256 of the command line or argv; null for an agent phase. */
  readonly command: string | null;
  /** sha256 of NAME=value of every variable the phase refers to ($NAME or ${NAME}). */
  readonly variables: string;
  /** sha256 of the phase's own env: entries. */
  readonly env: string;
  readonly agent: string;
  readonly model: string | null;
  /** sha256 of the agent options (profile, sandbox, permission and approval modes, tools, turns). */
  readonly options: string;
}

/** Words for each part, as `--dry-run --resume` names a change. */
const PART_WORDS: Readonly<Record<keyof PhaseShape, string>> = {
  prompt: 'prompt',
  command: 'command',
  variables: 'variables',
  env: 'env:',
  agent: 'agent',
  model: 'model',
  options: 'agent options',
};

/** What a phase is made of, before hashing. */
export interface ShapeInput {
  readonly prompt: string | null;
  readonly command: string | readonly string[] | null;
  /** Texts whose $NAME / ${NAME} references count (prompt template, command, argv, outputs, inputs). */
  readonly texts: readonly string[];
  readonly variables: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly agent: string;
  readonly model: string | null;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The hash of the last command hashed (a command phase's sha256 is its shape's command). */
export const COMMAND_HASH = new HashSlot();

/** The last hash of each part (equal parts of consecutive phases share one string). */
const SLOTS = {
  prompt: new HashSlot(),
  command: COMMAND_HASH,
  variables: new HashSlot(),
  env: new HashSlot(),
  options: new HashSlot(),
};

const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** The shape of a phase. */
export function phaseShape(input: ShapeInput): PhaseShape {
  const referenced = new Set<string>();
  for (const text of input.texts) {
    for (const match of text.matchAll(REFERENCE))
      if (match[1] !== undefined) referenced.add(match[1]);
  }
  const used = [...referenced]
    .filter((name) => Object.hasOwn(input.variables, name))
    .sort()
    .map((name) => [name, input.variables[name]]);
  return {
    prompt: input.prompt === null ? null : SLOTS.prompt.of(input.prompt),
    command: input.command === null ? null : SLOTS.command.of(JSON.stringify(input.command)),
    variables: SLOTS.variables.of(JSON.stringify(used)),
    env: SLOTS.env.of(
      JSON.stringify(Object.entries(input.env).sort(([a], [b]) => (a < b ? -1 : 1))),
    ),
    agent: input.agent,
    model: input.model,
    options: SLOTS.options.of(JSON.stringify(input.options)),
  };
}

/**
 * The parts of `stored` (a phase's shape as its completion line recorded it) that differ from
 * `current`, in words; ["no recorded shape"] when the line has none (an older parex wrote it).
 */
export function shapeChanges(stored: unknown, current: PhaseShape): string[] {
  if (typeof stored !== 'object' || stored === null)
    return ['no recorded shape (an older parex ran it)'];
  const recorded = stored as Record<string, unknown>;
  return (Object.keys(PART_WORDS) as (keyof PhaseShape)[])
    .filter((part) => (recorded[part] ?? null) !== current[part])
    .map((part) => PART_WORDS[part]);
}
