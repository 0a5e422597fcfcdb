// The schema check of a parsed workflow, a phase at a time. Checking the whole value at once
// builds the checked copy of every phase while the parsed value is still whole: both alive
// together (28 MB for 100,000 phases) and promoted to the old space. Here the workflow without
// its phases is checked first, then each phase on its own, and the parsed phase is kept: zod's
// copy of it is garbage at once, while it is young.
import { z } from 'zod';

import { phaseSchema, type WorkflowFile, workflowSchema } from './schema.js';

/** Everything but the phases' contents: the list itself must still be a list of at least one. */
const headSchema = workflowSchema.extend({ phases: z.array(z.unknown()).min(1) });

/** What the check found: the checked workflow, or every issue (paths from the workflow's root). */
export type ShapeCheck =
  | { readonly data: WorkflowFile; readonly issues: readonly [] }
  | { readonly data: null; readonly issues: readonly z.core.$ZodIssue[] };

/** Checks `data` against the workflow schema, a phase at a time. */
export function checkShape(data: unknown): ShapeCheck {
  const head = headSchema.safeParse(data, { reportInput: true });
  const issues: z.core.$ZodIssue[] = head.success ? [] : [...head.error.issues];
  const phases = (data as { phases?: unknown } | null | undefined)?.phases;
  if (Array.isArray(phases)) {
    for (let index = 0; index < phases.length; index += 1) {
      // Without reportInput (which costs twice the memory): asked again only for a failing phase.
      const phase = phaseSchema.safeParse(phases[index]);
      // The checked copy equals the parsed phase (phaseSchema transforms nothing): keep the one
      // already made, so that no second copy of every phase is promoted beside it.
      if (phase.success) continue;
      const reported = phaseSchema.safeParse(phases[index], { reportInput: true });
      for (const issue of reported.error?.issues ?? [])
        issues.push({ ...issue, path: ['phases', index, ...issue.path] });
    }
  }
  if (!head.success || issues.length > 0) return { data: null, issues };
  return { data: { ...head.data, phases } as WorkflowFile, issues: [] };
}
