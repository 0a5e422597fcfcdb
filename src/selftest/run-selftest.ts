// Runs the self-test checks in a temporary directory, removed afterwards, and reports each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ALL_CHECKS, type Check, CheckFailed } from './checks.js';

/** The result of one check. */
export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Runs `checks` (every check by default), printing a line for each through `print`. */
export async function runSelftest(
  print: (line: string) => void,
  checks: readonly Check[] = ALL_CHECKS,
): Promise<CheckResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parex-selftest-'));
  print(`parex selftest in ${dir}`);
  const results: CheckResult[] = [];
  try {
    const [first, ...rest] = checks;
    if (first !== undefined) results.push(await runCheck(first, dir, print));
    results.push(...(await Promise.all(rest.map((check) => runCheck(check, dir, print)))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = results.filter((result) => result.passed).length;
  print(`${passed} passed, ${results.length - passed} failed`);
  return results;
}

async function runCheck(check: Check, dir: string, print: (line: string) => void) {
  let result: CheckResult;
  try {
    result = { name: check.name, passed: true, detail: await check.run(dir) };
  } catch (error) {
    const detail = error instanceof CheckFailed ? error.message : String(error);
    result = { name: check.name, passed: false, detail };
  }
  print(`  ${result.passed ? 'ok  ' : 'FAIL'}  ${result.name}: ${result.detail}`);
  return result;
}
