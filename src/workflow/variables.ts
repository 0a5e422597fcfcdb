// The template variables parex sets for every phase.

/** Names parex defines; a workflow's vars cannot redefine them. */
export const BUILTIN_VARIABLES: readonly string[] = [
  'FEATURE_NAME',
  'FEATURE_DIR',
  'PLANNING_DIR',
  'LOG_DIR',
  'PHASE_NAME',
  'WORKFLOW_DIR',
  'INITIAL_MD_PATH',
  'ATTEMPT',
];

/** Where a feature's files go when the workflow's `dirs` says nothing. */
export const DEFAULT_DIRS = {
  feature: '.parex/features/${FEATURE_NAME}',
  planning: '${FEATURE_DIR}/planning',
  logs: '${FEATURE_DIR}/logs',
} as const;
