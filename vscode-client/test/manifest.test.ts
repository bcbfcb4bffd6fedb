// The manifest (package.json) against the code: settings, commands, activation.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { DOCUMENT_SELECTOR } from '../src/selectors';
import { SECTION, SERVER_KEYS, toServerSettings } from '../src/settings';

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; description?: string; markdownDescription?: string }> };
    codeActions: { actions: { kind: string }[] }[];
  };
}

// Compiled to out/test/, so the manifest is two folders up.
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('manifest', () => {
  it('contributes every server setting with a description and a default', () => {
    for (const key of SERVER_KEYS) {
      const property = properties[`${SECTION}.${key}`];
      assert.ok(property, `${SECTION}.${key} is contributed`);
      assert.ok(property.description || property.markdownDescription, `${key} has a description`);
      assert.notEqual(property.default, undefined, `${key} has a default`);
    }
  });

  it('has defaults that map cleanly to the server defaults', () => {
    const raw: Record<string, unknown> = {};
    for (const key of SERVER_KEYS) {
      raw[key] = properties[`${SECTION}.${key}`].default;
    }
    const { settings, problems } = toServerSettings(raw, null);
    assert.deepEqual(problems, []);
    assert.equal(settings.unsafeFixes, false);
    assert.deepEqual(settings.select, []);
  });

  it('contributes the three commands of the issue', () => {
    const titles = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    for (const title of ['MLflow Upgrade: Fix all in workspace', 'MLflow Upgrade: Restart server', 'MLflow Upgrade: Show log']) {
      assert.ok(titles.includes(title), title);
    }
    // The server registers `mlflow-upgrade.*` commands itself; ours must not collide.
    assert.ok(manifest.contributes.commands.every((c) => c.command.startsWith(`${SECTION}.`)));
  });

  it('activates on Python, notebooks and YAML and sends all of them', () => {
    for (const event of ['onLanguage:python', 'onNotebook:jupyter-notebook', 'onLanguage:yaml']) {
      assert.ok(manifest.activationEvents.includes(event), event);
    }
    const schemes = DOCUMENT_SELECTOR.map((f) => `${f.scheme}/${f.language}`);
    for (const wanted of ['file/python', 'untitled/python', 'vscode-notebook-cell/python', 'file/yaml']) {
      assert.ok(schemes.includes(wanted), wanted);
    }
  });

  it('documents the fix-all kind for editor.codeActionsOnSave', () => {
    const kinds = manifest.contributes.codeActions.flatMap((c) => c.actions.map((a) => a.kind));
    assert.ok(kinds.includes('source.fixAll.mlflow-upgrade'));
  });

  it('points main at the esbuild bundle', () => {
    assert.equal(manifest.main, './dist/extension.js');
  });
});
