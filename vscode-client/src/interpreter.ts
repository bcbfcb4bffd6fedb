// Which Python runs the language server.
//
// Pure logic, no `vscode` import: the unit tests run it under `node --test`.
// Order: the `mlflowUpgrade.interpreter` setting, else the interpreter selected
// in the Python extension, else `python3` (`python` on Windows) from PATH.

import * as path from 'node:path';

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

/** A Python command line: the executable plus arguments placed before `-m ...`. */
export interface InterpreterChoice {
  command: string;
  args: string[];
  source: InterpreterSource;
}

export interface InterpreterContext {
  /** Raw value of `mlflowUpgrade.interpreter`; empty or undefined when unset. */
  setting?: string;
  /** Absolute path of the workspace folder the setting is read for. */
  workspaceFolder?: string;
  /** Every workspace folder by name, for `${workspaceFolder:name}`. */
  workspaceFolders?: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: NodeJS.Platform;
  /** Command line of the interpreter selected in the Python extension, when known. */
  pythonExtension?: readonly string[];
}

const VARIABLE = /\$\{([^}]+)\}/g;

/**
 * Expands what VS Code users write in path settings: `~`, `${userHome}`,
 * `${workspaceFolder}`, `${workspaceFolder:name}`, `${workspaceFolderBasename}`
 * and `${env:NAME}`. Unknown variables are left as they are, so the error the
 * user finally sees names what they wrote.
 */
export function expandVariables(value: string, ctx: InterpreterContext): string {
  let result = value.replace(VARIABLE, (whole, name: string) => {
    if (name === 'userHome') {
      return ctx.home;
    }
    if (name === 'workspaceFolder') {
      return ctx.workspaceFolder ?? whole;
    }
    if (name === 'workspaceFolderBasename') {
      return ctx.workspaceFolder ? pathFor(ctx.platform).basename(ctx.workspaceFolder) : whole;
    }
    if (name.startsWith('workspaceFolder:')) {
      return ctx.workspaceFolders?.[name.slice('workspaceFolder:'.length)] ?? whole;
    }
    if (name.startsWith('env:')) {
      return ctx.env[name.slice('env:'.length)] ?? '';
    }
    return whole;
  });
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = ctx.home + result.slice(1);
  }
  return result;
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Turns the setting into an executable: variables expanded, a relative path
 * with a separator (`.venv/bin/python`) taken relative to the workspace folder,
 * a bare name (`python3.12`) left for a PATH lookup.
 */
export function resolveSettingPath(setting: string, ctx: InterpreterContext): string {
  const expanded = expandVariables(setting.trim(), ctx);
  const p = pathFor(ctx.platform);
  const hasSeparator = expanded.includes('/') || (ctx.platform === 'win32' && expanded.includes('\\'));
  if (hasSeparator && !p.isAbsolute(expanded) && ctx.workspaceFolder) {
    return p.join(ctx.workspaceFolder, expanded);
  }
  return expanded;
}

export function defaultPython(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'python' : 'python3';
}

export function chooseInterpreter(ctx: InterpreterContext): InterpreterChoice {
  if (ctx.setting && ctx.setting.trim() !== '') {
    return { command: resolveSettingPath(ctx.setting, ctx), args: [], source: 'setting' };
  }
  const fromExtension = ctx.pythonExtension?.filter((part) => part !== '');
  if (fromExtension && fromExtension.length > 0) {
    return { command: fromExtension[0], args: fromExtension.slice(1), source: 'python-extension' };
  }
  return { command: defaultPython(ctx.platform), args: [], source: 'path' };
}

/** Arguments that start the language server; vscode-languageclient appends `--stdio`. */
export function serverArgs(choice: InterpreterChoice): string[] {
  return [...choice.args, '-m', 'mlflow_upgrade', 'lsp'];
}

export function describeSource(source: InterpreterSource): string {
  switch (source) {
    case 'setting':
      return 'the mlflowUpgrade.interpreter setting';
    case 'python-extension':
      return 'the interpreter selected in the Python extension';
    case 'path':
      return 'PATH (no interpreter is set or selected)';
  }
}

export function describeChoice(choice: InterpreterChoice): string {
  const commandLine = [choice.command, ...choice.args].join(' ');
  return `${commandLine} (from ${describeSource(choice.source)})`;
}

/**
 * Looks a program up on PATH the way a shell would, with an injected
 * existence check so it stays testable.
 */
export function findOnPath(
  name: string,
  envPath: string | undefined,
  platform: NodeJS.Platform,
  isExecutable: (candidate: string) => boolean,
): string | undefined {
  const p = pathFor(platform);
  const names = platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of (envPath ?? '').split(platform === 'win32' ? ';' : ':')) {
    if (dir === '') {
      continue;
    }
    for (const candidate of names) {
      const full = p.join(dir, candidate);
      if (isExecutable(full)) {
        return full;
      }
    }
  }
  return undefined;
}
