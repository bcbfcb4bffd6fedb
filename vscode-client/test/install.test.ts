import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  compareVersions,
  explainInstallFailure,
  installSteps,
  judgeProbe,
  manualInstallCommand,
  parseProbe,
  pickWheel,
  type Probe,
  PROBE_SCRIPT,
  uvNextTo,
} from '../src/install';
import { run } from '../src/process';

const probe = (overrides: Partial<Probe> = {}): Probe => ({
  executable: '/p/.venv/bin/python',
  version: [3, 11, 7],
  mlflowUpgrade: null,
  pip: true,
  ...overrides,
});

describe('the probe', () => {
  it('runs in a real Python and parses', async () => {
    const result = await run('python3', ['-c', PROBE_SCRIPT], { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    const parsed = parseProbe(result.stdout);
    assert.ok(parsed, result.stdout);
    assert.ok(parsed.version[0] >= 3);
    assert.ok(parsed.executable.length > 0);
  });

  it('reports a missing interpreter instead of throwing', async () => {
    const result = await run('/nonexistent/python', ['-c', PROBE_SCRIPT], { timeoutMs: 5_000 });
    assert.equal(result.code, null);
    assert.match(result.error ?? '', /was not found/);
  });

  it('ignores noise printed before the answer (sitecustomize, conda activation)', () => {
    const parsed = parseProbe(
      'hello from sitecustomize\n{"executable": "/x/python", "version": [3, 12, 1], "mlflow_upgrade": "0.1.0", "pip": false}\n',
    );
    assert.deepEqual(parsed, { executable: '/x/python', version: [3, 12, 1], mlflowUpgrade: '0.1.0', pip: false });
    assert.equal(parseProbe('Traceback (most recent call last):'), undefined);
    assert.equal(parseProbe('{"executable": 3}'), undefined);
  });
});

describe('judgeProbe', () => {
  it('refuses Pythons older than 3.10 and says which one', () => {
    const verdict = judgeProbe(probe({ version: [3, 9, 18] }), '0.1.0');
    assert.equal(verdict.kind, 'python-too-old');
    assert.match(verdict.kind === 'python-too-old' ? verdict.message : '', /3\.10 or newer.*Python 3\.9\.18/);
  });

  it('asks for an install when the module is missing', () => {
    assert.deepEqual(judgeProbe(probe(), '0.1.0'), { kind: 'missing' });
  });

  it('offers an update only when the installed version is older than the bundled wheel', () => {
    assert.deepEqual(judgeProbe(probe({ mlflowUpgrade: '0.0.9' }), '0.1.0'), {
      kind: 'outdated',
      installed: '0.0.9',
      bundled: '0.1.0',
    });
    assert.equal(judgeProbe(probe({ mlflowUpgrade: '0.1.0' }), '0.1.0').kind, 'ready');
    assert.equal(judgeProbe(probe({ mlflowUpgrade: '0.2.0' }), '0.1.0').kind, 'ready');
    assert.equal(judgeProbe(probe({ mlflowUpgrade: 'unknown' }), '0.1.0').kind, 'ready');
    assert.equal(judgeProbe(probe({ mlflowUpgrade: '0.0.1' }), undefined).kind, 'ready');
  });
});

describe('compareVersions', () => {
  it('orders releases, pre-releases and dev builds', () => {
    const ordered = ['0.1.0.dev1', '0.1.0a1', '0.1.0b2', '0.1.0rc1', '0.1', '0.1.0.post1', '0.1.1', '0.10.0', '1.0'];
    for (let i = 0; i + 1 < ordered.length; i++) {
      assert.equal(compareVersions(ordered[i], ordered[i + 1]), -1, `${ordered[i]} < ${ordered[i + 1]}`);
      assert.equal(compareVersions(ordered[i + 1], ordered[i]), 1);
    }
    assert.equal(compareVersions('0.1.0', '0.1'), 0);
    assert.equal(compareVersions('0.1.0+local', '0.1.0'), 0);
  });
});

describe('bundled wheel', () => {
  it('picks the newest wheel of this project', () => {
    assert.equal(
      pickWheel([
        'README.txt',
        'mlflow_upgrade-0.1.0-py3-none-any.whl',
        'mlflow_upgrade-0.2.0rc1-py3-none-any.whl',
        'other-9.0-py3-none-any.whl',
      ]),
      'mlflow_upgrade-0.2.0rc1-py3-none-any.whl',
    );
    assert.equal(pickWheel([]), undefined);
  });
});

describe('installSteps', () => {
  const base = {
    python: { command: '/p/.venv/bin/python', args: [] },
    executable: '/p/.venv/bin/python',
    wheel: '/ext/bundled/mlflow_upgrade-0.1.0-py3-none-any.whl',
  };

  it('uses pip when the interpreter has it', () => {
    const steps = installSteps({ ...base, hasPip: true, uv: '/usr/bin/uv' });
    assert.deepEqual(
      steps.map((s) => [s.command, ...s.args]),
      [['/p/.venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', base.wheel]],
    );
  });

  it('uses uv for environments without pip (uv venv)', () => {
    const steps = installSteps({ ...base, hasPip: false, uv: '/p/.venv/bin/uv' });
    assert.deepEqual(
      steps.map((s) => [s.command, ...s.args]),
      [['/p/.venv/bin/uv', 'pip', 'install', '--python', '/p/.venv/bin/python', base.wheel]],
    );
  });

  it('bootstraps pip with ensurepip when neither is there', () => {
    const steps = installSteps({ ...base, hasPip: false });
    assert.deepEqual(
      steps.map((s) => s.args.slice(0, 2)),
      [
        ['-m', 'ensurepip'],
        ['-m', 'pip'],
      ],
    );
  });

  it('keeps the prefix of a multi-part interpreter command', () => {
    const steps = installSteps({ ...base, python: { command: 'conda', args: ['run', '-n', 'ml', 'python'] }, hasPip: true });
    assert.deepEqual(steps[0].args.slice(0, 6), ['run', '-n', 'ml', 'python', '-m', 'pip']);
  });

  it('finds uv next to the interpreter', () => {
    assert.equal(uvNextTo('/p/.venv/bin/python3', 'linux'), '/p/.venv/bin/uv');
    assert.equal(uvNextTo('C:\\p\\.venv\\Scripts\\python.exe', 'win32'), 'C:\\p\\.venv\\Scripts\\uv.exe');
  });

  it('tells a user without a wheel what to run', () => {
    assert.equal(manualInstallCommand({ command: 'python3', args: [] }), 'python3 -m pip install mlflow-upgrade');
  });
});

describe('explainInstallFailure', () => {
  const py = '/usr/bin/python3';

  it('explains PEP 668 system Pythons', () => {
    const e = explainInstallFailure(
      'error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n',
      py,
    );
    assert.match(e.message, /managed by the operating system.*virtual environment/);
    assert.equal(e.evidence, 'error: externally-managed-environment');
  });

  it('explains a missing pip', () => {
    assert.match(explainInstallFailure('/usr/bin/python3: No module named ensurepip', py).message, /has no pip/);
  });

  it('explains dependencies that could not be downloaded (pip and uv wording)', () => {
    const pip = explainInstallFailure(
      "WARNING: Retrying ... Failed to establish a new connection: [Errno -3] Temporary failure in name resolution\n" +
        'ERROR: Could not find a version that satisfies the requirement pygls<3,>=2.0 (from mlflow-upgrade) (from versions: none)\n' +
        'ERROR: No matching distribution found for pygls<3,>=2.0\n',
      py,
    );
    assert.match(pip.message, /could not be downloaded/);
    const uv = explainInstallFailure(
      '  × No solution found when resolving dependencies:\n  ╰─▶ Because pygls was not found in the cache and mlflow-upgrade depends on pygls, we can conclude that ...',
      py,
    );
    assert.match(uv.message, /could not be downloaded/);
  });

  it('explains permissions', () => {
    const e = explainInstallFailure(
      "ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '/usr/lib/python3/dist-packages/x'",
      py,
    );
    assert.match(e.message, /No permission/);
  });

  it('falls back to the last error line, never to nothing', () => {
    assert.match(explainInstallFailure('Collecting x\nERROR: something odd happened\ncleanup', py).message, /something odd happened/);
    assert.match(explainInstallFailure('', py).message, /failed\.$/);
  });
});
