import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { toServerSettings } from '../src/settings';

describe('toServerSettings', () => {
  it('maps the defaults VS Code reports to an empty selection', () => {
    const { settings, problems } = toServerSettings(
      { select: [], ignore: [], severity: {}, interpreter: '', unsafeFixes: false, exclude: [] },
      null,
    );
    assert.deepEqual(settings, {
      select: [],
      ignore: [],
      severity: {},
      interpreter: null,
      unsafeFixes: false,
      exclude: [],
    });
    assert.deepEqual(problems, []);
  });

  it('normalises codes and levels and drops duplicates', () => {
    const { settings, problems } = toServerSettings(
      {
        select: [' mlf1', 'MLF201', 'mlf201'],
        ignore: ['MLF305'],
        severity: { mlf101: 'Error', MLF3: 'info', MLF2: 'warn' },
        unsafeFixes: true,
        exclude: [' legacy/** ', 'build'],
      },
      '/work/proj/.venv/bin/python',
    );
    assert.deepEqual(settings.select, ['MLF1', 'MLF201']);
    assert.deepEqual(settings.ignore, ['MLF305']);
    assert.deepEqual(settings.severity, { MLF101: 'error', MLF3: 'information', MLF2: 'warning' });
    assert.equal(settings.unsafeFixes, true);
    assert.deepEqual(settings.exclude, ['legacy/**', 'build']);
    assert.equal(settings.interpreter, '/work/proj/.venv/bin/python');
    assert.deepEqual(problems, []);
  });

  it('reports and drops what the server could not use', () => {
    const { settings, problems } = toServerSettings(
      {
        select: 'MLF101',
        ignore: ['MLF-101', 42],
        severity: { MLF101: 'fatal', 'not a code': 'error', MLF102: 'hint' },
        unsafeFixes: 'yes',
        exclude: ['', 3, 'ok/**'],
      },
      null,
    );
    assert.deepEqual(settings, {
      select: [],
      ignore: [],
      severity: { MLF102: 'hint' },
      interpreter: null,
      unsafeFixes: false,
      exclude: ['ok/**'],
    });
    assert.equal(problems.length, 8);
    assert.ok(problems.some((p) => p.includes('mlflowUpgrade.select must be a list')));
    assert.ok(problems.some((p) => p.includes('"fatal" is not one of error, warning, information, hint')));
    assert.ok(problems.some((p) => p.includes('mlflowUpgrade.unsafeFixes must be true or false')));
  });

  it('treats missing keys (an older settings.json) as defaults', () => {
    const { settings, problems } = toServerSettings({}, null);
    assert.deepEqual(settings.select, []);
    assert.deepEqual(settings.severity, {});
    assert.equal(settings.unsafeFixes, false);
    assert.deepEqual(problems, []);
  });
});
