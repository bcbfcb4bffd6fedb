// The MLflow Upgrade extension: runs `python -m mlflow_upgrade lsp` in the
// user's Python and connects VS Code to it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import {
  chooseInterpreter,
  describeChoice,
  describeSource,
  findOnPath,
  type InterpreterChoice,
  type InterpreterContext,
  resolveSettingPath,
  serverArgs,
} from './interpreter';
import {
  explainInstallFailure,
  installSteps,
  judgeProbe,
  manualInstallCommand,
  parseProbe,
  pickWheel,
  type Probe,
  PROBE_SCRIPT,
  uvNextTo,
  wheelVersion,
} from './install';
import { describeFixResult, type LaunchSpec, reactToChange, type ServerState, statusView } from './lifecycle';
import { run } from './process';
import { PythonExtension } from './python';
import { DOCUMENT_SELECTOR } from './selectors';
import { SECTION, SERVER_KEYS, type ServerSettings, toServerSettings } from './settings';

const CLIENT_ID = 'mlflowUpgrade';
const NAME = 'MLflow Upgrade';
const SERVER_FIX_WORKSPACE = 'mlflow-upgrade.fixWorkspace';
const PROBE_TIMEOUT_MS = 30_000;
const INSTALL_TIMEOUT_MS = 15 * 60_000;
/** A server that was running is restarted after a crash, at most this often in CRASH_WINDOW_MS. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;
const STDERR_TAIL_LINES = 40;

let manager: ServerManager | undefined;

/**
 * vscode-languageclient forces a notification when the server cannot start or
 * restart. The extension tells the user itself, with the server's own last
 * words (see ServerManager.fail), so these go to the log only.
 */
class Client extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(NAME, { log: true });
  const status = vscode.window.createStatusBarItem('mlflowUpgrade.status', vscode.StatusBarAlignment.Left, 10);
  status.name = NAME;
  const python = new PythonExtension(log);
  manager = new ServerManager(context, log, status, python);
  const m = manager;
  context.subscriptions.push(
    log,
    status,
    python,
    vscode.commands.registerCommand('mlflowUpgrade.fixWorkspace', () => m.fixWorkspace()),
    vscode.commands.registerCommand('mlflowUpgrade.restart', () => m.restart()),
    vscode.commands.registerCommand('mlflowUpgrade.showLog', () => log.show(true)),
    vscode.commands.registerCommand('mlflowUpgrade.install', () => m.offerInstall(true)),
    vscode.workspace.onDidChangeConfiguration((e) => m.onConfigurationChanged(e)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => m.onEnvironmentChanged()),
    python.onDidChangeInterpreter(() => m.onEnvironmentChanged()),
  );
  // Not awaited: probing the interpreter and starting the server must not hold up VS Code.
  void m.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}

/** The folder whose settings pick the interpreter: one server serves the whole window. */
function primaryFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

function interpreterContext(folder: vscode.WorkspaceFolder | undefined, setting: string): InterpreterContext {
  const folders: Record<string, string> = {};
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    folders[f.name] = f.uri.fsPath;
  }
  return {
    setting,
    workspaceFolder: folder?.uri.fsPath,
    workspaceFolders: folders,
    env: process.env,
    home: os.homedir(),
    platform: process.platform,
  };
}

function launchOf(choice: InterpreterChoice): LaunchSpec {
  return { command: choice.command, args: serverArgs(choice) };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

class ServerManager {
  private state: ServerState = 'stopped';
  private client: LanguageClient | undefined;
  /** The launch of the last start attempt. */
  private launch: LaunchSpec | undefined;
  private choice: InterpreterChoice | undefined;
  private probe: Probe | undefined;
  /** Start, stop, restart and install run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  /** Interpreters already offered an install this session, so the offer is not repeated on its own. */
  private readonly offered = new Set<string>();
  private lastProblems = '';
  /** The last lines the server wrote to stderr: the plain reason when it dies. */
  private stderrTail: string[] = [];
  private crashes: number[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: vscode.StatusBarItem,
    private readonly python: PythonExtension,
  ) {
    this.setState('stopped');
    status.show();
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.log.info('Restarting the language server');
      await this.doStop();
      await this.doStart();
    });
  }

  async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration(SECTION)) {
      return;
    }
    const settingsChanged = SERVER_KEYS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`));
    await this.react(settingsChanged);
  }

  /** The Python extension's selection or the workspace folders changed. */
  async onEnvironmentChanged(): Promise<void> {
    await this.react(false);
  }

  private async react(settingsChanged: boolean): Promise<void> {
    const next = launchOf(await this.resolveChoice());
    const reaction = reactToChange({ state: this.state, previous: this.launch, next, settingsChanged });
    if (reaction === 'restart') {
      await this.restart();
    } else if (reaction === 'send-settings' && this.client) {
      const settings = this.serverSettings(primaryFolder());
      this.log.info(`Sending changed settings: ${JSON.stringify(settings)}`);
      await this.client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [SECTION]: settings },
      });
    }
  }

  async fixWorkspace(): Promise<void> {
    const client = this.client;
    if (!client || this.state !== 'running') {
      const pick = await vscode.window.showWarningMessage(
        `${NAME}: the language server is not running, so nothing can be fixed.`,
        'Show Log',
      );
      if (pick) {
        this.log.show(true);
      }
      return;
    }
    try {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_FIX_WORKSPACE,
        arguments: [],
      });
      this.log.info(`Fix all in workspace: ${JSON.stringify(result ?? null)}`);
      const summary = describeFixResult(result);
      if (summary.error) {
        void vscode.window.showErrorMessage(`${NAME}: ${summary.text}`);
      } else {
        void vscode.window.showInformationMessage(`${NAME}: ${summary.text}`);
      }
    } catch (err) {
      this.log.error(`Fix all in workspace failed: ${String(err)}`);
      void vscode.window.showErrorMessage(`${NAME}: fixing the workspace failed: ${errorMessage(err)}`);
    }
  }

  /** Offers to install (or update) mlflow-upgrade in the current interpreter. */
  async offerInstall(explicit: boolean): Promise<void> {
    const probe = this.probe;
    const choice = this.choice;
    if (!probe || !choice) {
      if (explicit) {
        void vscode.window.showInformationMessage(`${NAME}: no Python interpreter has been checked yet.`);
      }
      return;
    }
    const wheel = this.bundledWheel();
    const verdict = judgeProbe(probe, wheel?.version);
    if (verdict.kind === 'python-too-old') {
      void vscode.window.showErrorMessage(`${NAME}: ${verdict.message}`);
      return;
    }
    if (verdict.kind === 'ready' && !explicit) {
      return;
    }
    const key = `${verdict.kind}:${probe.executable}`;
    if (!explicit && this.offered.has(key)) {
      return;
    }
    this.offered.add(key);
    if (!wheel) {
      const manual = manualInstallCommand({ command: choice.command, args: choice.args });
      void vscode.window.showErrorMessage(
        `${NAME}: mlflow-upgrade is not installed in ${probe.executable}, and this build of the extension ` +
          `carries no wheel to install. Run: ${manual}`,
      );
      return;
    }
    let question: string;
    if (verdict.kind === 'missing') {
      question =
        `mlflow-upgrade is not installed in ${probe.executable} (from ${describeSource(choice.source)}). ` +
        'Install it there to see MLflow 3 problems and fix them?';
    } else if (verdict.kind === 'outdated') {
      question =
        `mlflow-upgrade ${verdict.installed} in ${probe.executable} is older than this extension's ` +
        `${verdict.bundled}. Update it?`;
    } else {
      question = `mlflow-upgrade ${verdict.installed} is installed in ${probe.executable}. Reinstall ${wheel.version}?`;
    }
    const install = verdict.kind === 'outdated' ? 'Update' : 'Install';
    const other = 'Use Another Python';
    const pick = await vscode.window.showWarningMessage(`${NAME}: ${question}`, install, other);
    if (pick === install) {
      await this.enqueue(() => this.doInstall(wheel.file));
    } else if (pick === other) {
      if (vscode.extensions.getExtension('ms-python.python')) {
        await vscode.commands.executeCommand('python.setInterpreter');
      } else {
        await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.interpreter`);
      }
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task, task);
    this.queue = next.catch((err: unknown) => this.log.error(`Unexpected error: ${String(err)}`));
    return this.queue;
  }

  private setState(state: ServerState, detail?: string): void {
    this.state = state;
    const lines: string[] = [];
    if (this.choice) {
      lines.push(`Python: ${describeChoice(this.choice)}`);
    }
    if (this.probe) {
      lines.push(`${this.probe.executable}, Python ${this.probe.version.join('.')}`);
      if (this.probe.mlflowUpgrade) {
        lines.push(`mlflow-upgrade ${this.probe.mlflowUpgrade}`);
      }
    }
    if (detail) {
      lines.push(detail);
    }
    const view = statusView(state, lines.join('\n\n'));
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
    this.status.backgroundColor = view.severity
      ? new vscode.ThemeColor(`statusBarItem.${view.severity}Background`)
      : undefined;
    this.status.command = state === 'not-installed' ? 'mlflowUpgrade.install' : 'mlflowUpgrade.showLog';
  }

  private async resolveChoice(): Promise<InterpreterChoice> {
    const folder = primaryFolder();
    const setting = vscode.workspace.getConfiguration(SECTION, folder?.uri).get<string>('interpreter', '');
    const ctx = interpreterContext(folder, setting);
    if (!setting.trim()) {
      ctx.pythonExtension = await this.python.interpreter(folder?.uri);
    }
    return chooseInterpreter(ctx);
  }

  private bundledWheel(): { file: string; version: string } | undefined {
    const dir = path.join(this.context.extensionPath, 'bundled');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return undefined;
    }
    const name = pickWheel(names);
    return name ? { file: path.join(dir, name), version: wheelVersion(name)! } : undefined;
  }

  /**
   * The settings for the server, for one workspace folder. `interpreter` is
   * what jedi should read: the setting, else the Python extension's selection
   * (the Python the server runs in); null lets the server look for the
   * workspace's own environment.
   */
  private serverSettings(folder: vscode.WorkspaceFolder | undefined): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    const raw: Record<string, unknown> = {};
    for (const key of SERVER_KEYS) {
      raw[key] = config.get(key);
    }
    const setting = typeof raw.interpreter === 'string' ? raw.interpreter.trim() : '';
    let interpreter: string | null = null;
    if (setting) {
      interpreter = resolveSettingPath(setting, interpreterContext(folder, setting));
    } else if (this.choice?.source === 'python-extension') {
      interpreter = this.probe?.executable ?? this.choice.command;
    }
    const { settings, problems } = toServerSettings(raw, interpreter);
    const joined = problems.join('\n');
    if (joined && joined !== this.lastProblems) {
      for (const problem of problems) {
        this.log.warn(problem);
      }
    }
    this.lastProblems = joined;
    return settings;
  }

  private async doStart(): Promise<void> {
    const choice = await this.resolveChoice();
    this.choice = choice;
    this.launch = launchOf(choice);
    this.probe = undefined;
    this.setState('starting');
    this.log.info(`Python: ${describeChoice(choice)}`);

    const result = await run(choice.command, [...choice.args, '-c', PROBE_SCRIPT], {
      cwd: os.tmpdir(),
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    const probe = result.code === 0 ? parseProbe(result.stdout) : undefined;
    if (!probe) {
      const why =
        result.error ??
        (result.stderr.trim().split(/\r?\n/).pop() || `it exited with code ${String(result.code)}`);
      this.fail(
        `could not run the Python interpreter ${choice.command}: ${why}. ` +
          'Set "mlflowUpgrade.interpreter" or select an interpreter in the Python extension.',
      );
      return;
    }
    this.probe = probe;
    this.log.info(
      `${probe.executable}: Python ${probe.version.join('.')}, mlflow-upgrade ${probe.mlflowUpgrade ?? 'not installed'}`,
    );
    const verdict = judgeProbe(probe, this.bundledWheel()?.version);
    if (verdict.kind === 'python-too-old') {
      this.fail(verdict.message);
      return;
    }
    if (verdict.kind === 'missing') {
      this.setState('not-installed');
      this.log.warn(`mlflow-upgrade is not installed in ${probe.executable}`);
      void this.offerInstall(false);
      return;
    }
    if (verdict.kind === 'outdated') {
      void this.offerInstall(false);
    }
    await this.startClient(choice);
  }

  private async startClient(choice: InterpreterChoice): Promise<void> {
    const folder = primaryFolder();
    const serverOptions: ServerOptions = {
      command: choice.command,
      args: serverArgs(choice),
      transport: TransportKind.stdio,
      options: { cwd: folder?.uri.fsPath, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...DOCUMENT_SELECTOR],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticCollectionName: 'mlflow-upgrade',
      initializationFailedHandler: (error) => {
        this.log.error(`The server failed to initialize: ${errorMessage(error)}`);
        return false;
      },
      stdioOptions: {
        stdout: (input) => input.resume(),
        stderr: (input) => {
          readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
            this.log.info(`[server] ${line}`);
            this.stderrTail.push(line);
            if (this.stderrTail.length > STDERR_TAIL_LINES) {
              this.stderrTail.shift();
            }
          });
        },
      },
      errorHandler: {
        error: (_error, _message, count) => ({
          action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
          handled: true,
        }),
        closed: () => {
          if (client !== this.client || this.state !== 'running') {
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          const now = Date.now();
          this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
          this.crashes.push(now);
          if (this.crashes.length > MAX_CRASHES) {
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          this.log.warn(`The server exited (${this.lastServerWords()}); restarting it`);
          return { action: CloseAction.Restart, handled: true };
        },
      },
      initializationOptions: this.serverSettings(folder),
      middleware: {
        workspace: {
          // vscode-languageclient would send the raw section (with `trace`, and
          // `${workspaceFolder}` unexpanded) when the server registers for
          // configuration changes; ServerManager.react sends the mapped settings instead.
          didChangeConfiguration: async () => undefined,
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, i) => {
              if (item.section !== SECTION) {
                return answer[i];
              }
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const itemFolder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? folder;
              return this.serverSettings(itemFolder);
            });
          },
        },
      },
    };
    const client = new Client(CLIENT_ID, NAME, serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (client !== this.client) {
        return;
      }
      if (e.newState === State.Running) {
        this.setState('running');
      } else if (e.newState === State.Starting) {
        this.setState('starting');
      } else if (e.newState === State.Stopped || e.newState === State.StartFailed) {
        this.fail(`the language server stopped: ${this.lastServerWords()}. See "MLflow Upgrade: Show log".`);
      }
    });
    this.client = client;
    this.stderrTail = [];
    this.log.info(`Starting: ${choice.command} ${serverArgs(choice).join(' ')} --stdio`);
    try {
      await client.start();
      this.setState('running');
    } catch (err) {
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      this.fail(`the language server did not start: ${this.lastServerWords(errorMessage(err))}. See "MLflow Upgrade: Show log".`);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5_000);
      } catch (err) {
        this.log.warn(`Stopping the server: ${errorMessage(err)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState('stopped');
  }

  private async doInstall(wheel: string): Promise<void> {
    const choice = this.choice;
    const probe = this.probe;
    if (!choice || !probe) {
      return;
    }
    await this.doStop();
    this.setState('installing');
    const uv = [uvNextTo(probe.executable, process.platform)].find(isExecutable) ??
      findOnPath('uv', process.env.PATH, process.platform, isExecutable);
    const steps = installSteps({
      python: { command: choice.command, args: choice.args },
      executable: probe.executable,
      wheel,
      hasPip: probe.pip,
      uv,
    });
    const failure = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: NAME },
      async (progress) => {
        for (const step of steps) {
          progress.report({ message: step.title });
          this.log.info(`$ ${step.command} ${step.args.join(' ')}`);
          const result = await run(step.command, step.args, {
            cwd: os.tmpdir(),
            timeoutMs: INSTALL_TIMEOUT_MS,
            onOutput: (text) => this.log.info(text.trimEnd()),
          });
          if (result.code !== 0) {
            return [result.stdout, result.stderr, result.error ?? ''].join('\n');
          }
        }
        return undefined;
      },
    );
    if (failure !== undefined) {
      const { message, evidence } = explainInstallFailure(failure, probe.executable);
      this.log.error(`Install failed: ${message}${evidence ? `\n  ${evidence}` : ''}`);
      this.setState('not-installed', message);
      this.showError(message);
      return;
    }
    this.log.info(`Installed ${path.basename(wheel)} into ${probe.executable}`);
    await this.doStart();
  }

  /** The server's last words on stderr (a traceback's last line), else the fallback. */
  private lastServerWords(fallback = 'it exited'): string {
    const last = [...this.stderrTail].reverse().find((line) => line.trim() !== '');
    return last ? last.trim() : fallback;
  }

  /** Reports a failure once per start attempt. */
  private fail(message: string): void {
    if (this.state === 'failed') {
      return;
    }
    this.log.error(message);
    this.setState('failed', message);
    this.showError(message);
  }

  /** Shows an error without waiting for the user, so that queued work goes on. */
  private showError(message: string): void {
    void vscode.window.showErrorMessage(`${NAME}: ${message}`, 'Show Log').then((pick) => {
      if (pick) {
        this.log.show(true);
      }
    });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
