// Screenshots of local HTML files with Debian's headless Chromium: a fresh profile in a temp
// directory, no network, a time limit, and every process of the browser killed afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Fails with what to install when the browser is missing (the test must not skip in CI). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y --no-install-recommends chromium); .ci/run does it in CI`,
    );
}

/** Options of a screenshot. */
export interface ScreenshotOptions {
  /** A directory of our own for the profile, HOME and caches; kept out of the user's home. */
  readonly workDir: string;
  readonly width: number;
  readonly height: number;
  /** Kill the browser (and fail) after this long. Default 60 s. */
  readonly limitMs?: number;
}

/** Takes a screenshot of `htmlFile` into `pngFile` (viewport size width × height, scale 1). */
export function screenshot(
  htmlFile: string,
  pngFile: string,
  options: ScreenshotOptions,
): Promise<void> {
  requireChromium();
  const profile = path.join(options.workDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--user-data-dir=${profile}`,
    `--window-size=${options.width},${options.height}`,
    `--screenshot=${pngFile}`,
    pathToFileURL(htmlFile).href,
  ];
  const home = path.join(options.workDir, 'home');
  mkdirSync(home, { recursive: true });
  // Its own process group, so that the browser's helpers can be killed with it by its pid.
  const child = spawn(CHROMIUM, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const pid = child.pid;
  const killAll = () => {
    if (pid !== undefined) killGroup(pid);
    for (const leftover of processesUsing(profile)) killPid(leftover);
  };
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    killAll();
  }, options.limitMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(limit);
      killAll();
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      killAll();
      if (timedOut)
        reject(new Error(`chromium took too long and was killed; it printed:\n${output}`));
      else if (code !== 0 || !existsSync(pngFile))
        reject(
          new Error(`chromium ended with ${code ?? signal}, no screenshot; it printed:\n${output}`),
        );
      else resolve();
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Pids of processes whose command line names `dir` (our profile: only our browser's). */
export function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) found.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}
