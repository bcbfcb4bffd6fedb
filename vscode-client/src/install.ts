// Is mlflow-upgrade usable in the chosen Python, and how to install the wheel
// the extension carries into it.
//
// Pure logic, no `vscode` import. The extension runs the commands; this module
// decides which ones and turns their output into messages a user can act on.

import * as path from 'node:path';

import type { LaunchSpec } from './lifecycle';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

/**
 * Printed by the chosen Python. Written for any Python 3, so that an old one
 * still answers and the user learns its version instead of a traceback.
 */
export const PROBE_SCRIPT = [
  'import json, sys',
  'import importlib.util as u',
  'found = u.find_spec("mlflow_upgrade") is not None',
  'version = None',
  'if found:',
  '    try:',
  '        import importlib.metadata as m',
  '        version = m.version("mlflow-upgrade")',
  '    except Exception:',
  '        version = "unknown"',
  'print(json.dumps({"executable": sys.executable, "version": list(sys.version_info[:3]),',
  '                  "mlflow_upgrade": version, "pip": u.find_spec("pip") is not None}))',
].join('\n');

export interface Probe {
  executable: string;
  version: [number, number, number];
  /** Installed mlflow-upgrade version, "unknown" when importable without metadata, null when missing. */
  mlflowUpgrade: string | null;
  pip: boolean;
}

export function parseProbe(stdout: string): Probe | undefined {
  const line = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) {
    return undefined;
  }
  try {
    const data = JSON.parse(line) as Record<string, unknown>;
    const version = data.version;
    if (
      typeof data.executable !== 'string' ||
      !Array.isArray(version) ||
      version.length !== 3 ||
      !version.every((n) => typeof n === 'number')
    ) {
      return undefined;
    }
    return {
      executable: data.executable,
      version: version as [number, number, number],
      mlflowUpgrade: typeof data.mlflow_upgrade === 'string' ? data.mlflow_upgrade : null,
      pip: data.pip === true,
    };
  } catch {
    return undefined;
  }
}

export type Verdict =
  | { kind: 'ready'; installed: string }
  | { kind: 'outdated'; installed: string; bundled: string }
  | { kind: 'missing' }
  | { kind: 'python-too-old'; message: string };

/** What the probe means, given the version of the wheel the extension carries (if any). */
export function judgeProbe(probe: Probe, bundled: string | undefined): Verdict {
  const [major, minor] = probe.version;
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return {
      kind: 'python-too-old',
      message:
        `mlflow-upgrade needs Python ${MIN_PYTHON.join('.')} or newer, but ${probe.executable} ` +
        `is Python ${probe.version.join('.')}. Select a newer interpreter or set mlflowUpgrade.interpreter.`,
    };
  }
  if (probe.mlflowUpgrade === null) {
    return { kind: 'missing' };
  }
  if (bundled !== undefined && probe.mlflowUpgrade !== 'unknown' && compareVersions(probe.mlflowUpgrade, bundled) < 0) {
    return { kind: 'outdated', installed: probe.mlflowUpgrade, bundled };
  }
  return { kind: 'ready', installed: probe.mlflowUpgrade };
}

/**
 * Orders release versions the way PEP 440 does for the forms we produce
 * (`1.2.3`, `1.2.3rc1`, `1.2.3.dev4`, `1.2.3+local`): numbers first, then a
 * pre-release sorts before its release.
 */
export function compareVersions(a: string, b: string): number {
  return compareKeys(versionKey(a), versionKey(b));
}

/** [release numbers without trailing zeros, phase (dev < a < b < rc < final < post), phase number]. */
function versionKey(version: string): [number[], number, number] {
  const match = /^v?(\d+(?:\.\d+)*)[.-]?([a-z]*)(\d*)/i.exec(version.trim().split('+')[0]);
  if (!match) {
    return [[0], -1, 0];
  }
  const release = match[1].split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) {
    release.pop();
  }
  const phases: Record<string, number> = { dev: 0, a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, '': 4, post: 5 };
  return [release, phases[match[2].toLowerCase()] ?? 4, Number(match[3] || 0)];
}

function compareKeys(x: [number[], number, number], y: [number[], number, number]): number {
  const length = Math.max(x[0].length, y[0].length);
  for (let i = 0; i < length; i++) {
    const d = (x[0][i] ?? 0) - (y[0][i] ?? 0);
    if (d !== 0) {
      return Math.sign(d);
    }
  }
  return Math.sign(x[1] - y[1]) || Math.sign(x[2] - y[2]);
}

const WHEEL = /^mlflow_upgrade-([^-]+)-.+\.whl$/;

/** The version in a wheel file name of this project, or undefined for other files. */
export function wheelVersion(fileName: string): string | undefined {
  return WHEEL.exec(fileName)?.[1];
}

/** The newest of this project's wheels among the files of the `bundled/` folder. */
export function pickWheel(fileNames: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const name of fileNames) {
    const version = wheelVersion(name);
    if (version !== undefined && (best === undefined || compareVersions(version, wheelVersion(best)!) > 0)) {
      best = name;
    }
  }
  return best;
}

export interface Step {
  command: string;
  args: string[];
  /** Shown in the progress notification. */
  title: string;
}

export interface InstallInput {
  python: LaunchSpec;
  /** The interpreter's own `sys.executable`, from the probe. */
  executable: string;
  wheel: string;
  hasPip: boolean;
  /** A `uv` executable, when one was found next to the interpreter or on PATH. */
  uv?: string;
}

/**
 * The commands that install the bundled wheel: with pip when the interpreter
 * has it; else with uv (virtual environments made by `uv venv` have no pip);
 * else pip is bootstrapped with `ensurepip` first. pip and uv fetch only the
 * wheel's dependencies, from the index the user has configured.
 */
export function installSteps(input: InstallInput): Step[] {
  const py = (args: string[]): { command: string; args: string[] } => ({
    command: input.python.command,
    args: [...input.python.args, ...args],
  });
  const pipInstall: Step = {
    ...py(['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', input.wheel]),
    title: 'Installing mlflow-upgrade and its dependencies with pip',
  };
  if (input.hasPip) {
    return [pipInstall];
  }
  if (input.uv) {
    return [
      {
        command: input.uv,
        args: ['pip', 'install', '--python', input.executable, input.wheel],
        title: 'Installing mlflow-upgrade and its dependencies with uv',
      },
    ];
  }
  return [{ ...py(['-m', 'ensurepip', '--upgrade', '--default-pip']), title: 'Setting up pip' }, pipInstall];
}

/** Candidate places for `uv`: next to the interpreter, then PATH (looked up by the caller). */
export function uvNextTo(executable: string, platform: NodeJS.Platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(p.dirname(executable), platform === 'win32' ? 'uv.exe' : 'uv');
}

export interface FailureExplanation {
  /** One sentence for the notification. */
  message: string;
  /** The output line that shows the cause, for the log. */
  evidence?: string;
}

const NETWORK =
  /(No matching distribution|Could not find a version that satisfies|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|Connection refused|ConnectTimeout|Read timed out|SSLError|certificate verify failed|ProxyError|Failed to fetch|error sending request|dns error|not found in the package registry|was not found in the cache)/i;

/** Turns the output of a failed install into what the user should know. */
export function explainInstallFailure(output: string, executable: string): FailureExplanation {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const find = (re: RegExp): string | undefined => lines.find((l) => re.test(l));
  let evidence = find(/externally[- ]managed/i);
  if (evidence) {
    return {
      message:
        `${executable} is managed by the operating system and refuses package installs (PEP 668). ` +
        'Create a virtual environment (python3 -m venv .venv), select it as the interpreter, and install again.',
      evidence,
    };
  }
  evidence = find(/No module named (pip|ensurepip)|ensurepip is disabled/i);
  if (evidence) {
    return {
      message:
        `${executable} has no pip and cannot set it up. Install pip for it (for example the ` +
        'python3-pip or python3-venv package), or install uv, then try again.',
      evidence,
    };
  }
  evidence = find(/Permission denied|EACCES|Errno 13|Access is denied/i);
  if (evidence) {
    return {
      message:
        `No permission to install packages into ${executable}. Use a virtual environment you own ` +
        'and select it as the interpreter.',
      evidence,
    };
  }
  evidence = find(/requires a different Python|Requires-Python|not a supported wheel/i);
  if (evidence) {
    return {
      message: `The mlflow-upgrade wheel does not fit ${executable}: it needs Python ${MIN_PYTHON.join('.')} or newer.`,
      evidence,
    };
  }
  evidence = find(NETWORK);
  if (evidence) {
    return {
      message:
        'The dependencies of mlflow-upgrade (pygls, lsprotocol, jedi, libcst, …) could not be downloaded ' +
        'from your package index. Check the network or the index settings of pip/uv, or install them ' +
        'yourself, then use "MLflow Upgrade: Restart server".',
      evidence,
    };
  }
  evidence = lines.filter((l) => /error/i.test(l)).pop() ?? lines[lines.length - 1];
  return {
    message: `Installing mlflow-upgrade into ${executable} failed${evidence ? `: ${evidence}` : '.'}`,
    evidence,
  };
}

/** The command a user can run by hand when there is no wheel to offer. */
export function manualInstallCommand(python: LaunchSpec): string {
  return [python.command, ...python.args, '-m', 'pip', 'install', 'mlflow-upgrade'].join(' ');
}
