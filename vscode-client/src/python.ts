// The interpreter selected in the Python extension (ms-python.python), read
// through its public API when that extension is installed. Nothing here is a
// hard dependency: without the extension every call answers "unknown".

import * as vscode from 'vscode';

const PYTHON_EXTENSION = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 15_000;

// The parts of the Python extension's API that we use (see @vscode/python-extension).
interface EnvironmentPath {
  id: string;
  path: string;
}
interface ResolvedEnvironment {
  executable: { uri?: vscode.Uri };
}
interface PythonApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
    onDidChangeExecutionDetails: vscode.Event<unknown>;
  };
}

export class PythonExtension implements vscode.Disposable {
  private api: PythonApi | undefined;
  private hooked = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** Fires when the selected interpreter changes, or when the Python extension appears. */
  readonly onDidChangeInterpreter = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.extensions.onDidChange(() => {
        if (!this.hooked && vscode.extensions.getExtension(PYTHON_EXTENSION)) {
          this.changed.fire();
        }
      }),
    );
  }

  /** The selected interpreter's command line, or undefined when unknown. */
  async interpreter(resource: vscode.Uri | undefined): Promise<string[] | undefined> {
    const api = await this.load();
    if (!api) {
      return undefined;
    }
    try {
      if (api.environments) {
        const active = api.environments.getActiveEnvironmentPath(resource);
        const resolved = await api.environments.resolveEnvironment(active);
        const executable = resolved?.executable.uri?.fsPath;
        if (executable) {
          return [executable];
        }
      }
      const details = api.settings?.getExecutionDetails(resource);
      if (details?.execCommand && details.execCommand.length > 0) {
        return details.execCommand;
      }
    } catch (err) {
      this.log.warn(`The Python extension could not tell the selected interpreter: ${String(err)}`);
    }
    return undefined;
  }

  private async load(): Promise<PythonApi | undefined> {
    if (this.api) {
      return this.api;
    }
    const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
    if (!extension) {
      return undefined;
    }
    try {
      const api = extension.isActive ? extension.exports : await withTimeout(extension.activate());
      if (!api) {
        this.log.warn('The Python extension did not activate in time; falling back to PATH');
        return undefined;
      }
      if (api.ready) {
        await withTimeout(api.ready);
      }
      this.api = api;
      this.hook(api);
      return api;
    } catch (err) {
      this.log.warn(`The Python extension's API is not available: ${String(err)}`);
      return undefined;
    }
  }

  private hook(api: PythonApi): void {
    if (this.hooked) {
      return;
    }
    this.hooked = true;
    const fire = (): void => this.changed.fire();
    if (api.environments) {
      this.disposables.push(api.environments.onDidChangeActiveEnvironmentPath(fire));
    } else if (api.settings) {
      this.disposables.push(api.settings.onDidChangeExecutionDetails(fire));
    }
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

async function withTimeout<T>(promise: Thenable<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ACTIVATION_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
