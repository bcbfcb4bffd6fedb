// The install path against a real Python: a fresh venv, the project's wheel
// from bundled/ (built by `make vsix`), and no package index (PIP_NO_INDEX),
// so pip cannot fetch the dependencies and the user must be told exactly that.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { explainInstallFailure, installSteps, parseProbe, pickWheel, PROBE_SCRIPT } from '../src/install';
import { run } from '../src/process';

const BUNDLED = path.join(__dirname, '..', '..', 'bundled');
const offline: NodeJS.ProcessEnv = { ...process.env, PIP_NO_INDEX: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
delete offline.PIP_FIND_LINKS;
delete offline.VIRTUAL_ENV;

describe('installing the bundled wheel into a real venv without an index', () => {
  let tmp: string;
  let wheel: string;

  before(() => {
    const name = fs.existsSync(BUNDLED) ? pickWheel(fs.readdirSync(BUNDLED)) : undefined;
    assert.ok(name, `no mlflow_upgrade wheel in ${BUNDLED}: run \`make vsix\` first`);
    wheel = path.join(BUNDLED, name);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-upgrade-install-'));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function venv(name: string): Promise<string> {
    const dir = path.join(tmp, name);
    const made = await run('python3', ['-m', 'venv', '--without-pip', dir], {
      timeoutMs: 120_000,
      env: offline,
    });
    assert.equal(made.code, 0, made.stderr);
    return path.join(dir, 'bin', 'python');
  }

  async function install(python: string): Promise<{ failedOutput?: string; steps: string[] }> {
    const probe = parseProbe((await run(python, ['-c', PROBE_SCRIPT], { timeoutMs: 30_000 })).stdout);
    assert.ok(probe);
    assert.equal(probe.mlflowUpgrade, null);
    const steps = installSteps({ python: { command: python, args: [] }, executable: probe.executable, wheel, hasPip: probe.pip });
    for (const step of steps) {
      const result = await run(step.command, step.args, { timeoutMs: 300_000, env: offline, cwd: tmp });
      if (result.code !== 0) {
        return { failedOutput: result.stdout + result.stderr, steps: steps.map((s) => s.args.join(' ')) };
      }
    }
    return { steps: steps.map((s) => s.args.join(' ')) };
  }

  it('sets pip up with ensurepip, then says the dependencies could not be downloaded', async () => {
    const python = await venv('without-pip');
    const { failedOutput, steps } = await install(python);
    assert.deepEqual(
      steps.map((s) => s.split(' ').slice(0, 2).join(' ')),
      ['-m ensurepip', '-m pip'],
    );
    assert.ok(failedOutput, 'the install must fail without an index');
    const explained = explainInstallFailure(failedOutput, python);
    assert.match(explained.message, /could not be downloaded/, failedOutput);
    assert.match(explained.evidence ?? '', /pygls|lsprotocol|jedi|libcst|pathspec|ruamel/i);
  });
});
