// Paths of the repository, from the compiled test files in dist/test/.
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI entry point. */
export const CLI_PATH = `${REPO_ROOT}dist/bin/parex.cjs`;
/** Test fixtures (not compiled: scripts and data files). */
export const FIXTURES = `${REPO_ROOT}test/fixtures`;
