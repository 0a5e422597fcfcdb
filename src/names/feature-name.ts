// The feature name behind a PRP file path: prps/INITIAL_user_auth.md gives user_auth.
import { assertValidName } from './validate.js';

const PREFIX = 'INITIAL_';

/** Extracts and validates a feature name: the basename, without one ".md", without one leading "INITIAL_". */
export function extractFeatureName(pathOrName: string): string {
  const base = pathOrName.slice(pathOrName.lastIndexOf('/') + 1);
  const withoutExtension = base.endsWith('.md') ? base.slice(0, -'.md'.length) : base;
  const name = withoutExtension.startsWith(PREFIX)
    ? withoutExtension.slice(PREFIX.length)
    : withoutExtension;
  return assertValidName(name, `feature name (from ${JSON.stringify(pathOrName)})`);
}
