// A stand-in for ms-python.python in the end-to-end test: the same shape of
// `exports.environments` (getActiveEnvironmentPath, resolveEnvironment,
// onDidChangeActiveEnvironmentPath). The interpreters to offer come from the
// file named by FAKE_PYTHON_INTERPRETERS (one path a line); the first is active,
// and "Test Python: Select the next interpreter" moves on, like a user picking
// another one in the real extension.
const fs = require('node:fs');
const vscode = require('vscode');

function activate(context) {
  const list = fs
    .readFileSync(process.env.FAKE_PYTHON_INTERPRETERS, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  let active = 0;
  const changed = new vscode.EventEmitter();
  context.subscriptions.push(
    changed,
    vscode.commands.registerCommand('fakePython.selectNext', () => {
      active = (active + 1) % list.length;
      changed.fire({ id: list[active], path: list[active], resource: undefined });
    }),
  );
  return {
    ready: Promise.resolve(),
    environments: {
      getActiveEnvironmentPath: () => ({ id: list[active], path: list[active] }),
      resolveEnvironment: async (env) => {
        const p = typeof env === 'string' ? env : env.path;
        return { id: p, path: p, executable: { uri: vscode.Uri.file(p) } };
      },
      onDidChangeActiveEnvironmentPath: changed.event,
    },
  };
}

module.exports = { activate };
