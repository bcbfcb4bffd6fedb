// Running a short-lived command (the probe, pip) and collecting what it says.

import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Called with each chunk of output, for the log. */
  onOutput?: (text: string) => void;
}

export interface RunResult {
  /** Exit code; null when the process could not start, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the process did not run to its end (spawn error, timeout). */
  error?: string;
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: RunResult): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
    };
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, stdout, stderr, error: `timed out after ${Math.round(options.timeoutMs / 1000)} s` });
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onOutput?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onOutput?.(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'ENOENT' ? `${command} was not found` : err.message;
      finish({ code: null, stdout, stderr, error: reason });
    });
    child.on('close', (code) => finish({ code, stdout, stderr }));
  });
}
