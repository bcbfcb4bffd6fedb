import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  chooseInterpreter,
  describeChoice,
  expandVariables,
  findOnPath,
  type InterpreterContext,
  resolveSettingPath,
  serverArgs,
} from '../src/interpreter';

function ctx(overrides: Partial<InterpreterContext> = {}): InterpreterContext {
  return {
    workspaceFolder: '/work/proj',
    workspaceFolders: { proj: '/work/proj', other: '/work/other' },
    env: { VENV_HOME: '/opt/venvs' },
    home: '/home/ada',
    platform: 'linux',
    ...overrides,
  };
}

describe('chooseInterpreter', () => {
  it('prefers the mlflowUpgrade.interpreter setting over the Python extension', () => {
    const choice = chooseInterpreter(
      ctx({ setting: '${workspaceFolder}/.venv/bin/python', pythonExtension: ['/usr/bin/python3.12'] }),
    );
    assert.deepEqual(choice, { command: '/work/proj/.venv/bin/python', args: [], source: 'setting' });
  });

  it('uses the Python extension selection when the setting is empty or blank', () => {
    for (const setting of [undefined, '', '   ']) {
      const choice = chooseInterpreter(ctx({ setting, pythonExtension: ['/envs/a/bin/python'] }));
      assert.deepEqual(choice, { command: '/envs/a/bin/python', args: [], source: 'python-extension' });
    }
  });

  it('keeps a multi-part command from the Python extension (conda run …)', () => {
    const choice = chooseInterpreter(ctx({ pythonExtension: ['conda', 'run', '-n', 'ml', 'python'] }));
    assert.equal(choice.command, 'conda');
    assert.deepEqual(serverArgs(choice), ['run', '-n', 'ml', 'python', '-m', 'mlflow_upgrade', 'lsp']);
  });

  it('falls back to python3 on PATH, python on Windows', () => {
    assert.deepEqual(chooseInterpreter(ctx()), { command: 'python3', args: [], source: 'path' });
    assert.deepEqual(chooseInterpreter(ctx({ pythonExtension: [] })).source, 'path');
    assert.equal(chooseInterpreter(ctx({ platform: 'win32' })).command, 'python');
  });

  it('describes where the interpreter came from', () => {
    assert.match(describeChoice(chooseInterpreter(ctx({ setting: '/x/python' }))), /mlflowUpgrade\.interpreter setting/);
    assert.match(describeChoice(chooseInterpreter(ctx())), /PATH/);
  });
});

describe('setting paths', () => {
  it('expands VS Code variables, ~ and environment variables', () => {
    assert.equal(expandVariables('~/.venvs/ml/bin/python', ctx()), '/home/ada/.venvs/ml/bin/python');
    assert.equal(expandVariables('${userHome}/py', ctx()), '/home/ada/py');
    assert.equal(expandVariables('${env:VENV_HOME}/ml/bin/python', ctx()), '/opt/venvs/ml/bin/python');
    assert.equal(expandVariables('${workspaceFolder:other}/.venv/bin/python', ctx()), '/work/other/.venv/bin/python');
    assert.equal(expandVariables('/envs/${workspaceFolderBasename}/bin/python', ctx()), '/envs/proj/bin/python');
  });

  it('leaves unknown variables visible, so the error names them', () => {
    assert.equal(expandVariables('${config:python.path}', ctx()), '${config:python.path}');
    assert.equal(expandVariables('${workspaceFolder}/py', ctx({ workspaceFolder: undefined })), '${workspaceFolder}/py');
  });

  it('resolves relative paths against the workspace folder but keeps bare names for PATH', () => {
    assert.equal(resolveSettingPath('.venv/bin/python', ctx()), '/work/proj/.venv/bin/python');
    assert.equal(resolveSettingPath('python3.12', ctx()), 'python3.12');
    assert.equal(resolveSettingPath('  /abs/python  ', ctx()), '/abs/python');
    assert.equal(
      resolveSettingPath('.venv\\Scripts\\python.exe', ctx({ platform: 'win32', workspaceFolder: 'C:\\proj' })),
      'C:\\proj\\.venv\\Scripts\\python.exe',
    );
  });
});

describe('findOnPath', () => {
  it('returns the first executable match in PATH order', () => {
    const present = new Set(['/b/uv', '/c/uv']);
    assert.equal(findOnPath('uv', '/a::/b:/c', 'linux', (p) => present.has(p)), '/b/uv');
    assert.equal(findOnPath('uv', undefined, 'linux', () => true), undefined);
    assert.equal(findOnPath('uv', 'C:\\tools', 'win32', (p) => p === 'C:\\tools\\uv.exe'), 'C:\\tools\\uv.exe');
  });
});
