// When the server must restart, and what the status bar says about it.
//
// Pure logic, no `vscode` import.

export type ServerState =
  | 'stopped'
  | 'starting'
  | 'running'
  | 'not-installed'
  | 'installing'
  | 'failed';

/** How the server process is (or would be) started. */
export interface LaunchSpec {
  command: string;
  args: readonly string[];
}

export function sameLaunch(a: LaunchSpec | undefined, b: LaunchSpec | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return a.command === b.command && a.args.length === b.args.length && a.args.every((arg, i) => arg === b.args[i]);
}

export type Reaction =
  /** Stop the server (if any) and start it again with the new launch. */
  | 'restart'
  /** Keep the process; send the new settings to it. */
  | 'send-settings'
  | 'nothing';

export interface ChangeInput {
  state: ServerState;
  /** The launch of the last start attempt (undefined: none yet; the first start reads fresh settings). */
  previous: LaunchSpec | undefined;
  /** The launch the current settings and interpreter selection ask for. */
  next: LaunchSpec;
  /** Whether a server-side setting (`mlflowUpgrade.select`, …) changed. */
  settingsChanged: boolean;
}

/**
 * Decides what a change of settings or of the selected interpreter means.
 *
 * - A different interpreter (setting or Python extension selection) restarts the
 *   server, whatever state it is in: the new Python may have mlflow-upgrade,
 *   may be a newer Python, and jedi must read its site-packages.
 * - An install in progress is never interrupted; it starts the server itself.
 * - Other settings are sent to a running server; a server that could not start
 *   gets a new attempt, since a setting may have been what broke it.
 */
export function reactToChange(input: ChangeInput): Reaction {
  if (input.state === 'installing' || input.previous === undefined) {
    return 'nothing';
  }
  if (!sameLaunch(input.previous, input.next)) {
    return 'restart';
  }
  if (!input.settingsChanged) {
    return 'nothing';
  }
  switch (input.state) {
    case 'running':
    case 'starting':
      return 'send-settings';
    case 'failed':
      return 'restart';
    default:
      return 'nothing';
  }
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** 'warning' or 'error' background for states that need the user. */
  severity?: 'warning' | 'error';
}

const NAME = 'MLflow Upgrade';

export function statusView(state: ServerState, detail?: string): StatusView {
  const suffix = detail ? `\n\n${detail}` : '';
  switch (state) {
    case 'starting':
      return { text: `$(sync~spin) ${NAME}`, tooltip: `${NAME}: starting the language server${suffix}` };
    case 'running':
      return { text: `$(check) ${NAME}`, tooltip: `${NAME}: the language server is running${suffix}` };
    case 'installing':
      return { text: `$(sync~spin) ${NAME}: installing`, tooltip: `${NAME}: installing mlflow-upgrade${suffix}` };
    case 'not-installed':
      return {
        text: `$(warning) ${NAME}: not installed`,
        tooltip: `${NAME}: mlflow-upgrade is not installed in this Python. Click to install it.${suffix}`,
        severity: 'warning',
      };
    case 'failed':
      return {
        text: `$(error) ${NAME}`,
        tooltip: `${NAME}: the language server is not running. Click to see the log.${suffix}`,
        severity: 'error',
      };
    case 'stopped':
      return { text: `$(circle-slash) ${NAME}`, tooltip: `${NAME}: the language server is stopped${suffix}` };
  }
}

/** What the server's `mlflow-upgrade.fixWorkspace` answered, in one sentence. */
export function describeFixResult(result: unknown): { text: string; error: boolean } {
  if (typeof result !== 'object' || result === null) {
    return { text: 'the workspace was checked.', error: false };
  }
  const r = result as Record<string, unknown>;
  const count = (n: unknown, one: string, many: string): string =>
    `${typeof n === 'number' ? n : 0} ${n === 1 ? one : many}`;
  if (typeof r.error === 'string') {
    return { text: `fixing the workspace failed: ${r.error}`, error: true };
  }
  if (r.cancelled === true) {
    return { text: 'fixing the workspace was cancelled; nothing was changed.', error: false };
  }
  if (r.fixes === 0) {
    return { text: 'no safe fixes to apply in the workspace.', error: false };
  }
  const what = `${count(r.fixes, 'safe fix', 'safe fixes')} in ${count(r.files, 'file', 'files')}`;
  if (r.applied === false) {
    const reason = typeof r.failureReason === 'string' && r.failureReason ? `: ${r.failureReason}` : '';
    return { text: `${what} could not be applied${reason}.`, error: true };
  }
  return { text: `applied ${what}. Save the changed files to keep them.`, error: false };
}
