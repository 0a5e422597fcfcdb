import { runSelftest } from '../../selftest/run-selftest.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';

/** Runs `parex selftest`. */
export async function selftestAction(): Promise<void> {
  const results = await runSelftest((line) => process.stdout.write(`${line}\n`));
  process.exitCode = results.every((result) => result.passed) ? EXIT_OK : EXIT_FAILED;
}
