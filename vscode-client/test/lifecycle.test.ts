import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  describeFixResult,
  type LaunchSpec,
  reactToChange,
  sameLaunch,
  type ServerState,
  statusView,
} from '../src/lifecycle';

const venv: LaunchSpec = { command: '/p/.venv/bin/python', args: ['-m', 'mlflow_upgrade', 'lsp'] };
const other: LaunchSpec = { command: '/usr/bin/python3.12', args: ['-m', 'mlflow_upgrade', 'lsp'] };

describe('sameLaunch', () => {
  it('compares command and every argument', () => {
    assert.ok(sameLaunch(venv, { ...venv, args: [...venv.args] }));
    assert.ok(!sameLaunch(venv, other));
    assert.ok(!sameLaunch(venv, { ...venv, args: ['-m', 'mlflow_upgrade'] }));
    assert.ok(!sameLaunch(venv, undefined));
  });
});

describe('reactToChange', () => {
  const states: ServerState[] = ['stopped', 'starting', 'running', 'not-installed', 'failed'];

  it('restarts when the interpreter changes, in every state but installing', () => {
    for (const state of states) {
      assert.equal(reactToChange({ state, previous: venv, next: other, settingsChanged: false }), 'restart', state);
    }
    assert.equal(
      reactToChange({ state: 'installing', previous: venv, next: other, settingsChanged: false }),
      'nothing',
    );
  });

  it('sends other settings to a live server without restarting it', () => {
    assert.equal(reactToChange({ state: 'running', previous: venv, next: venv, settingsChanged: true }), 'send-settings');
    assert.equal(
      reactToChange({ state: 'starting', previous: venv, next: venv, settingsChanged: true }),
      'send-settings',
    );
  });

  it('gives a failed server another try when a setting changes', () => {
    assert.equal(reactToChange({ state: 'failed', previous: venv, next: venv, settingsChanged: true }), 'restart');
  });

  it('does nothing when nothing that matters changed', () => {
    for (const state of states) {
      assert.equal(reactToChange({ state, previous: venv, next: venv, settingsChanged: false }), 'nothing', state);
    }
    assert.equal(
      reactToChange({ state: 'not-installed', previous: venv, next: venv, settingsChanged: true }),
      'nothing',
    );
  });

  it('leaves the first start alone', () => {
    assert.equal(reactToChange({ state: 'stopped', previous: undefined, next: venv, settingsChanged: true }), 'nothing');
  });
});

describe('statusView', () => {
  it('names the state and flags the ones that need the user', () => {
    assert.match(statusView('running').text, /^\$\(check\) MLflow Upgrade$/);
    assert.equal(statusView('running').severity, undefined);
    assert.equal(statusView('not-installed').severity, 'warning');
    assert.match(statusView('not-installed').text, /not installed/);
    assert.equal(statusView('failed').severity, 'error');
    assert.match(statusView('failed', 'Python 3.8 is too old').tooltip, /Python 3.8 is too old/);
  });
});

describe('describeFixResult', () => {
  it('summarises the server\'s answer to fixWorkspace', () => {
    assert.deepEqual(describeFixResult({ files: 2, fixes: 5, applied: true, cancelled: false }), {
      text: 'applied 5 safe fixes in 2 files. Save the changed files to keep them.',
      error: false,
    });
    assert.equal(describeFixResult({ files: 1, fixes: 1, applied: true }).text.startsWith('applied 1 safe fix in 1 file.'), true);
    assert.equal(describeFixResult({ files: 0, fixes: 0, applied: false }).text, 'no safe fixes to apply in the workspace.');
    assert.deepEqual(describeFixResult({ files: 1, fixes: 2, applied: false, failureReason: 'file changed' }), {
      text: '2 safe fixes in 1 file could not be applied: file changed.',
      error: true,
    });
    assert.equal(describeFixResult({ applied: false, error: 'OSError: boom' }).error, true);
    assert.equal(describeFixResult({ cancelled: true, fixes: 3 }).text.includes('cancelled'), true);
    assert.equal(describeFixResult(null).error, false);
  });
});
