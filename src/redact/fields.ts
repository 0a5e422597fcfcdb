// Which fields of parex's records are free text (redacted) and which are identifiers (kept):
// a secret that happens to equal a phase name, a run id or part of a timestamp must not mangle
// them, or --resume, `parex logs` and the speedup figures would break.

/**
 * Fields that name or locate something, or say when: never redacted. Manifest lines, events,
 * results and history entries use these keys (snake_case on disk, camelCase in memory).
 */
const IDENTIFIERS: ReadonlySet<string> = new Set([
  // what and which
  'type',
  'schema_version',
  'run_id',
  'runId',
  'phase',
  'name',
  'names',
  'feature',
  'group',
  'needs',
  'notStarted',
  'longest',
  'attempt',
  'agent',
  'agent_version',
  'agent_path',
  'model',
  'session_id',
  'prompt_file',
  'prompt_sha256',
  'shape',
  'outputs_declared',
  'outputs',
  // how it ended
  'status',
  'state',
  'outcome',
  'ok',
  'signal',
  'signals_sent',
  'signalsSent',
  'stop_reason',
  'stopReason',
  'cancelledBy',
  // where
  'log',
  'logPath',
  'log_dir',
  'logDir',
  'manifestPath',
  'pid',
  // when
  'time',
  'at',
  'timestamp',
  'started_at',
  'ended_at',
  'startedAt',
  'endedAt',
]);

/** Fields that hold a record of their own, whose fields are sorted the same way. */
const NESTED: ReadonlySet<string> = new Set(['details', 'fields', 'result', 'results', 'speedup']);

/** True for a field whose value is free text (command, argv, reason, error, tails, extras). */
export function isFreeText(key: string): boolean {
  return !IDENTIFIERS.has(key);
}

/** True for a field that holds a nested record (a result, its details). */
export function isNestedRecord(key: string): boolean {
  return NESTED.has(key);
}
