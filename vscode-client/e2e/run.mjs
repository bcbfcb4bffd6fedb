#!/usr/bin/env node
// End-to-end test of the MLflow Upgrade extension in real VS Code.
//
// code-server (VS Code 1.100.3 from npm) runs in its own process group with an
// isolated home, profile and temp folder, bound to 127.0.0.1. Debian's Chromium,
// driven by playwright-core, is the window. The built .vsix is installed into
// the fresh profile; the workspace is an MLflow 2 project with a `.venv` that
// has MLflow 2.22 and the project's dependencies but not mlflow-upgrade itself,
// so the test also goes through the one-click install of the bundled wheel.
//
// Environment: VSIX, E2E_OUT (default .test-output/vscode-e2e), UV and
// DEV_PYTHON (the dev venv's), CHROMIUM (default /usr/lib/chromium/chromium).
// Prints one line per step, screenshots paths on failure, and a closing
// "vscode-e2e: N passed, N failed" line.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENT = path.resolve(HERE, '..');
const ROOT = path.resolve(CLIENT, '..');
const fromRoot = (p) => path.resolve(ROOT, p);

const OUT = fromRoot(process.env.E2E_OUT ?? '.test-output/vscode-e2e');
const UV = fromRoot(process.env.UV ?? '.venv/bin/uv');
const DEV_PYTHON = fromRoot(process.env.DEV_PYTHON ?? '.venv/bin/python');
const DEV_CLI = path.join(path.dirname(DEV_PYTHON), 'mlflow-upgrade');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/lib/chromium/chromium';
const CODE_SERVER = path.join(HERE, 'node_modules', '.bin', 'code-server');
const VSCE = path.join(CLIENT, 'node_modules', '.bin', 'vsce');
const MLFLOW2 = 'mlflow-skinny==2.22.5';

const DIRS = {
  shots: path.join(OUT, 'screenshots'),
  home: path.join(OUT, 'home'),
  tmp: path.join(OUT, 'tmp'),
  userData: path.join(OUT, 'user-data'),
  extensions: path.join(OUT, 'extensions'),
  browser: path.join(OUT, 'browser-profile'),
  ws: path.join(OUT, 'workspace'),
  expected: path.join(OUT, 'expected'),
};
const WS_PYTHON = path.join(DIRS.ws, '.venv', 'bin', 'python');

// ---------------------------------------------------------------- reporting

const results = [];
const screenshots = [];
let shotIndex = 0;
let page;

function log(message) {
  process.stdout.write(`${message}\n`);
}

async function shot(name) {
  if (!page) {
    return undefined;
  }
  shotIndex += 1;
  const file = path.join(DIRS.shots, `${String(shotIndex).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file });
    screenshots.push(file);
    return file;
  } catch {
    return undefined;
  }
}

/** Runs one step; a failing step stops the steps after it (they depend on it). */
async function step(name, fn) {
  if (results.some((r) => r.status === 'failed')) {
    results.push({ name, status: 'not run' });
    return;
  }
  const started = Date.now();
  try {
    await fn();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    results.push({ name, status: 'passed' });
    log(`  ✔ ${name} (${seconds} s)`);
  } catch (err) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const file = await shot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    results.push({ name, status: 'failed', error: err, shot: file });
    log(`  ✖ ${name} (${seconds} s)\n    ${String(err?.stack ?? err).split('\n').join('\n    ')}`);
  }
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// ---------------------------------------------------------------- processes

const groups = new Set();
/** The code-server process; its pid is also its process group's id. */
let codeServer;

function startGroup(command, args, options, logFile) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  groups.add(child.pid);
  child.on('exit', () => undefined);
  return child;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pgid) {
  if (!groupAlive(pgid)) {
    groups.delete(pgid);
    return;
  }
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) {
    await sleep(100);
  }
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
    for (let i = 0; i < 30 && groupAlive(pgid); i++) {
      await sleep(100);
    }
  }
  groups.delete(pgid);
}

function killGroupsNow() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killGroupsNow();
    process.exit(130);
  });
}
process.on('exit', killGroupsNow);

/** Process ids and command lines of a process group, from /proc. */
function groupProcesses(pgid) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) {
        const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
        found.push({ pid: Number(entry), cmdline });
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/** Rewrites the workspace's .vscode/settings.json; VS Code notices the change on its own. */
function editWorkspaceSettings(edit) {
  const file = path.join(DIRS.ws, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(settings);
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** Waits until the one language server of code-server's group is `python`'s, and runs. */
async function serverRunsIn(python, why) {
  await until(
    `a server started by ${path.relative(DIRS.ws, python)} (${why})`,
    async () => {
      const servers = languageServers(codeServer.pid);
      return servers.length === 1 && servers[0].cmdline[0] === python;
    },
    60_000,
  );
  await serverRuns(60_000);
}

/** The language servers among a process group's processes. */
function languageServers(pgid) {
  return groupProcesses(pgid).filter((p) => p.cmdline.join(' ').includes('-m mlflow_upgrade lsp'));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runSync(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) {
    throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  }
  return result;
}

function mustRun(command, args, options = {}) {
  const result = runSync(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** Thrown inside an `until` condition to stop waiting at once. */
class Fatal extends Error {}

async function until(what, fn, timeoutMs = 30_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) {
        return last;
      }
    } catch (err) {
      if (err instanceof Fatal) {
        throw err;
      }
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

// ---------------------------------------------------------------- setup

/** The one file in `dir` matching `pattern` (`make vsix` removes older builds). */
function theOne(dir, pattern, what) {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => pattern.test(n)) : [];
  check(names.length === 1, `expected one ${what} in ${dir}, found ${names.length}: run \`make vsix\``);
  return path.join(dir, names[0]);
}

function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/**
 * The workspace: a copy of e2e/workspace plus a `.venv` with MLflow 2.22 and the
 * project's dependencies (installed from the wheel, then the project itself
 * removed again, so that the extension has to offer its install).
 */
function prepareWorkspace(wheel) {
  copyTree(path.join(HERE, 'workspace'), DIRS.ws);
  const venv = path.join(DIRS.ws, '.venv');
  mustRun(UV, ['venv', '-q', '--seed', '--python', DEV_PYTHON, venv]);
  // From uv's cache when it holds everything; else (a fresh machine) from the index.
  const install = ['pip', 'install', '-q', '--python', WS_PYTHON, MLFLOW2, wheel];
  if (runSync(UV, [...install, '--offline']).status !== 0) {
    mustRun(UV, install);
  }
  mustRun(UV, ['pip', 'uninstall', '-q', '--python', WS_PYTHON, 'mlflow-upgrade']);
  const probe = runSync(WS_PYTHON, ['-c', 'import mlflow_upgrade']);
  check(probe.status !== 0, 'the workspace .venv must start without mlflow-upgrade');
}

/** What the engine's `fix` makes of a file: run on a copy, with the dev venv's CLI. */
function expectedFix(source) {
  fs.mkdirSync(DIRS.expected, { recursive: true });
  const copy = path.join(DIRS.expected, path.basename(source));
  fs.copyFileSync(source, copy);
  const result = runSync(DEV_CLI, ['fix', '--python', WS_PYTHON, copy], { cwd: DIRS.expected });
  check(
    result.status === 0 || result.status === 1,
    `mlflow-upgrade fix ${copy} exited with ${result.status}\n${result.stdout}${result.stderr}`,
  );
  const fixed = fs.readFileSync(copy, 'utf8');
  check(fixed !== fs.readFileSync(source, 'utf8'), `mlflow-upgrade fix changed nothing in ${copy}`);
  return fixed;
}

function isolatedEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VSCODE_|VIRTUAL_ENV|CONDA_|PYTHON|PIP_|UV_|npm_)/.test(key)) {
      delete env[key];
    }
  }
  return {
    ...env,
    HOME: DIRS.home,
    TMPDIR: DIRS.tmp,
    XDG_CONFIG_HOME: path.join(DIRS.home, '.config'),
    XDG_DATA_HOME: path.join(DIRS.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(DIRS.home, '.cache'),
    // What the stand-in Python extension offers: the workspace's python, then its python3.X.
    FAKE_PYTHON_INTERPRETERS: path.join(OUT, 'python-interpreters.txt'),
    // Loopback only: pip and uv, started by the one-click install, must not reach an index.
    PIP_NO_INDEX: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    UV_OFFLINE: '1',
  };
}

// ---------------------------------------------------------------- workbench helpers

function activeEditor() {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

async function focusEditor() {
  const editor = activeEditor();
  const input = editor.locator('textarea.inputarea, .native-edit-context').first();
  await input.focus();
}

async function editorText() {
  const text = await activeEditor().locator('.view-lines').innerText();
  return text.replace(/\u00a0/g, ' ');
}

async function quickOpen(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await pickQuickInputRow(name);
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/** Where `artifact_path=` (MLF101) stands in the workspace's train.py. */
const ARTIFACT_PATH = { line: 13, column: 9 };

/** Moves the cursor with Go to Line/Column (Ctrl+G) and gives the editor the focus back. */
async function goTo({ line, column }) {
  await focusEditor();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await until(
    `the cursor at ${line}:${column}`,
    async () => (await page.locator('#status\\.editor\\.selection').innerText()).includes(`Ln ${line}, Col ${column}`),
    10_000,
  );
  await focusEditor();
}

/** Picks the row labelled exactly `label` in the open quick input (keyboard only). */
async function pickQuickInputRow(label) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: exact }),
  });
  await row.first().waitFor();
  for (let i = 0; i < 15 && !/\bfocused\b/.test((await row.first().getAttribute('class')) ?? ''); i++) {
    await page.keyboard.press('ArrowDown');
  }
  check(/\bfocused\b/.test((await row.first().getAttribute('class')) ?? ''), `"${label}" can be selected`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function runCommand(title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await pickQuickInputRow(title);
}

function statusItem() {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'MLflow Upgrade' }).first();
}

async function statusIs(icon) {
  return (await statusItem().locator(`.codicon-${icon}`).count()) > 0;
}

/** Waits for the server to run; stops at once when the extension reports a failure. */
async function serverRuns(timeoutMs) {
  await until(
    'the server to run (status bar check mark)',
    async () => {
      if (await statusIs('error')) {
        const toasts = await page.locator('.notification-toast').allInnerTexts();
        throw new Fatal(`the extension reports a failure: ${toasts.join(' | ')}`);
      }
      return statusIs('check');
    },
    timeoutMs,
  );
}

function squiggles(scope) {
  return scope.locator('.squiggly-error, .squiggly-warning, .squiggly-info');
}

async function problemRows() {
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** Open the Problems panel until its rows pass `accept`, take a screenshot, close it. */
async function inProblemsPanel(what, screenshot, accept) {
  await page.keyboard.press('Control+Shift+M');
  await until(`${what} in the Problems panel`, async () => accept(await problemRows()), 30_000);
  await shot(screenshot);
  await page.keyboard.press('Control+J');
}

/**
 * Ctrl+S in the active editor until `saved()` holds (by default: its tab is no
 * longer dirty). A key press can get lost while the workbench is busy.
 */
async function save(saved, what = 'the tab to be saved') {
  const tab = page.locator('.tab.active');
  const done = saved ?? (async () => !/\bdirty\b/.test((await tab.getAttribute('class')) ?? ''));
  for (let attempt = 0; attempt < 4; attempt++) {
    await focusEditor();
    await page.keyboard.press('Control+S');
    try {
      await until(what, done, 10_000);
      return;
    } catch {
      // try again
    }
  }
  throw new Error(`Ctrl+S (4 times): timed out waiting for ${what}`);
}

async function readDisk(file) {
  return fs.readFileSync(file, 'utf8');
}

// ---------------------------------------------------------------- the test

async function main() {
  const started = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  for (const dir of Object.values(DIRS)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const vsix = process.env.VSIX ? fromRoot(process.env.VSIX) : theOne(CLIENT, /^mlflow-upgrade-.*\.vsix$/, '.vsix');
  const wheel = theOne(path.join(CLIENT, 'bundled'), /^mlflow_upgrade-.*\.whl$/, 'wheel');
  log(`vscode-e2e: ${path.relative(ROOT, vsix)}, output in ${path.relative(ROOT, OUT)}/`);

  // Setup (may use the package index through uv's cache; the test below may not).
  prepareWorkspace(wheel);
  log(`  setup: workspace .venv with ${MLFLOW2} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const port = await freePort();
  const env = isolatedEnv();
  const versioned = fs.readdirSync(path.dirname(WS_PYTHON)).find((n) => /^python3\.\d+$/.test(n));
  check(versioned, 'the workspace .venv has a python3.X');
  fs.writeFileSync(env.FAKE_PYTHON_INTERPRETERS, `${WS_PYTHON}\n${path.join(path.dirname(WS_PYTHON), versioned)}\n`);
  fs.mkdirSync(path.join(DIRS.userData, 'User'), { recursive: true });
  fs.copyFileSync(path.join(HERE, 'user-settings.json'), path.join(DIRS.userData, 'User', 'settings.json'));
  const config = path.join(OUT, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const csArgs = ['--config', config, '--user-data-dir', DIRS.userData, '--extensions-dir', DIRS.extensions];
  const csLog = path.join(OUT, 'code-server.log');

  let context;
  const blocked = [];
  try {
    await step('install the .vsix into a fresh profile', async () => {
      const result = mustRun(CODE_SERVER, [...csArgs, '--install-extension', vsix], { env, cwd: DIRS.tmp });
      check(/successfully installed/i.test(result.stdout + result.stderr), `install said: ${result.stdout}${result.stderr}`);
      const installed = fs.readdirSync(DIRS.extensions).filter((n) => n.startsWith('mlflow-upgrade.mlflow-upgrade-'));
      check(installed.length === 1, `extensions folder holds ${fs.readdirSync(DIRS.extensions).join(', ')}`);
      // The stand-in for the Python extension (see fake-python/extension.js).
      const fake = path.join(OUT, 'fake-python.vsix');
      mustRun(VSCE, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', fake], {
        cwd: path.join(HERE, 'fake-python'),
      });
      mustRun(CODE_SERVER, [...csArgs, '--install-extension', fake], { env, cwd: DIRS.tmp });
    });

    await step('start code-server on 127.0.0.1 and load the workbench', async () => {
      codeServer = startGroup(
        CODE_SERVER,
        [
          ...csArgs,
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--disable-getting-started-override',
          '--ignore-last-opened',
          DIRS.ws,
        ],
        { env, cwd: DIRS.tmp },
        csLog,
      );
      await until('code-server /healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000);
      context = await chromium.launchPersistentContext(DIRS.browser, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 900 },
        env,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (/^(data|blob):/.test(url) || /^[a-z]+:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
          return route.continue();
        }
        blocked.push(url);
        return route.abort();
      });
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(DIRS.ws)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' }).waitFor({ timeout: 60_000 });
      await shot('workbench');
    });

    await step('opening train.py offers to install mlflow-upgrade into the workspace .venv', async () => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
      await quickOpen('train.py');
      const toast = page.locator('.notification-toast', { hasText: 'not installed' });
      await toast.waitFor({ timeout: 60_000 });
      const text = await toast.innerText();
      check(text.includes(WS_PYTHON), `the offer names the interpreter: ${text}`);
      await until('the status bar item', () => statusIs('warning'), 10_000);
      await shot('install');
    });

    await step('one click installs the bundled wheel and starts the server', async () => {
      await page
        .locator('.notification-toast', { hasText: 'not installed' })
        .locator('.monaco-button', { hasText: /^Install$/ })
        .click();
      await serverRuns(120_000);
      const probe = runSync(WS_PYTHON, ['-c', 'import mlflow_upgrade, sys; print(mlflow_upgrade.__file__)']);
      check(probe.status === 0, `mlflow_upgrade is importable in the workspace .venv: ${probe.stderr}`);
      check(probe.stdout.startsWith(path.join(DIRS.ws, '.venv')), `installed into the .venv: ${probe.stdout}`);
      const servers = languageServers(codeServer.pid);
      check(servers.length === 1, `one language server in code-server's process group: ${JSON.stringify(servers)}`);
      check(
        servers[0].cmdline[0] === WS_PYTHON && servers[0].cmdline.includes('--stdio'),
        `the server runs in the workspace's Python: ${servers[0].cmdline.join(' ')}`,
      );
    });

    await step('diagnostics appear as squiggles and in the Problems panel', async () => {
      await until('squiggles in train.py', async () => (await squiggles(activeEditor()).count()) >= 3, 60_000);
      await inProblemsPanel('MLF101, MLF107 and MLF201', 'diagnostics', (rows) => {
        const text = rows.join('\n');
        return ['MLF101', 'MLF107', 'MLF201'].every((code) => text.includes(code)) && text.includes('mlflow-upgrade');
      });
    });

    await step('a notebook cell gets a diagnostic too', async () => {
      await quickOpen('notebook.ipynb');
      // The notebook editor is drawn in an overlay above the editor group.
      const notebook = page.locator('.notebookOverlay:visible').first();
      await notebook.locator('.cell-editor-container .monaco-editor').first().waitFor({ timeout: 30_000 });
      await until('a squiggle in the notebook cell', async () => (await squiggles(notebook).count()) >= 1, 60_000);
      await inProblemsPanel('notebook.ipynb with its MLF201', 'notebook', (rows) => {
        const header = rows.findIndex((row) => row.startsWith('notebook.ipynb'));
        return header >= 0 && (rows[header + 1] ?? '').includes('MLF201');
      });
      await runCommand('View: Close All Editors');
    });

    await step('a gateway YAML file gets diagnostics', async () => {
      await quickOpen('gateway.yaml');
      await until('squiggles in gateway.yaml', async () => (await squiggles(activeEditor()).count()) >= 2, 60_000);
      await inProblemsPanel('MLF501 and MLF502', 'gateway', (rows) => {
        const text = rows.join('\n');
        return text.includes('MLF501') && text.includes('MLF502');
      });
      await runCommand('View: Close All Editors');
    });

    await step('hover shows the migration documentation', async () => {
      await quickOpen('train.py');
      await goTo(ARTIFACT_PATH);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:not(.hidden)').first();
      await hover.waitFor({ timeout: 15_000 });
      await until('the rule documentation in the hover', async () => /MLF101/.test(await hover.innerText()), 15_000);
      const text = await hover.innerText();
      check(/artifact_path/.test(text) && /name/.test(text), `the hover explains artifact_path → name: ${text}`);
      await shot('hover');
      await page.keyboard.press('Escape');
    });

    await step('Ctrl+. applies the quick fix', async () => {
      const menu = page.locator('.action-widget');
      for (let attempt = 0; attempt < 4; attempt++) {
        await goTo(ARTIFACT_PATH);
        await page.keyboard.press('Control+.');
        try {
          await menu.waitFor({ timeout: 5_000 });
          break;
        } catch {
          await page.keyboard.press('Escape');
        }
      }
      const fix = menu.locator('.monaco-list-row.action', { hasText: /artifact_path.*name/ }).first();
      await fix.waitFor();
      await shot('quickfix');
      // Keyboard only, as a user does: move the selection to our fix, then Enter.
      for (let i = 0; i < 10 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++) {
        await page.keyboard.press('ArrowDown');
      }
      check(/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''), 'the fix can be selected in the menu');
      await page.keyboard.press('Enter');
      await until(
        'artifact_path to become name in the editor',
        async () => {
          const text = await editorText();
          return !text.includes('artifact_path') && text.includes('name="model"');
        },
        15_000,
      );
      const text = await editorText();
      check(text.includes('run.info.run_uuid') && text.includes('code_path='), 'only that problem was fixed');
    });

    await step('"MLflow Upgrade: Fix all in workspace" fixes the rest', async () => {
      await runCommand('MLflow Upgrade: Fix all in workspace');
      await until(
        'the other problems to be fixed in the editor',
        async () => {
          const text = await editorText();
          return !text.includes('run_uuid') && !/code_path=/.test(text);
        },
        60_000,
      );
      await save();
      const expected = expectedFix(path.join(HERE, 'workspace', 'train.py'));
      await until(
        `train.py on disk to equal ${path.join(DIRS.expected, 'train.py')} (what \`mlflow-upgrade fix\` makes of it)`,
        async () => (await readDisk(path.join(DIRS.ws, 'train.py'))) === expected,
        30_000,
      );
      await until('the squiggles to go', async () => (await squiggles(activeEditor()).count()) === 0, 30_000);
      await shot('fixed');
      const notebook = await readDisk(path.join(DIRS.ws, 'notebook.ipynb'));
      JSON.parse(notebook); // still a valid notebook, whatever the fix did to it
    });

    await step('editor.codeActionsOnSave applies source.fixAll.mlflow-upgrade', async () => {
      const file = path.join(DIRS.ws, 'on_save.py');
      fs.copyFileSync(path.join(HERE, 'later', 'on_save.py'), file);
      // A file that appeared on disk just now: open it from the Explorer (Quick Open's index may lag).
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'on_save.py' });
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      await page.locator('.tab.active', { hasText: 'on_save.py' }).waitFor();
      await until('a squiggle in on_save.py', async () => (await squiggles(activeEditor()).count()) >= 1, 60_000);
      const expected = expectedFix(path.join(HERE, 'later', 'on_save.py'));
      await save(
        async () => (await readDisk(file)) === expected,
        `${file} to equal ${path.join(DIRS.expected, 'on_save.py')} (what \`mlflow-upgrade fix\` makes of it)`,
      );
      await shot('fixed-on-save');
    });

    await step('"Restart server" and "Show log" work', async () => {
      const before = languageServers(codeServer.pid);
      await runCommand('MLflow Upgrade: Restart server');
      await until(
        'a new server process',
        async () => {
          const now = languageServers(codeServer.pid);
          return now.length === 1 && now[0].pid !== before[0]?.pid;
        },
        60_000,
      );
      await serverRuns(60_000);
      await runCommand('MLflow Upgrade: Show log');
      await until(
        'the log in the Output panel',
        // Whitespace collapsed: the panel wraps long lines, and where depends on the path.
        async () => /mlflow_upgrade lsp --stdio/.test((await page.locator('.part.panel').innerText()).replace(/\s+/g, ' ')),
        15_000,
      );
      await shot('log');
    });

    await step('changing mlflowUpgrade.interpreter restarts the server in the new interpreter', async () => {
      editWorkspaceSettings((settings) => {
        settings['mlflowUpgrade.interpreter'] = '${workspaceFolder}/.venv/bin/python3';
      });
      await serverRunsIn(path.join(DIRS.ws, '.venv', 'bin', 'python3'), 'the setting changed');
    });

    await step("without the setting, the Python extension's interpreter is used; selecting another restarts", async () => {
      const [first, second] = fs.readFileSync(env.FAKE_PYTHON_INTERPRETERS, 'utf8').trim().split('\n');
      editWorkspaceSettings((settings) => {
        delete settings['mlflowUpgrade.interpreter'];
      });
      await serverRunsIn(first, 'the setting removed');
      await runCommand('Test Python: Select the next interpreter');
      await serverRunsIn(second, 'another interpreter selected');
    });

    await step('no request left 127.0.0.1', async () => {
      check(blocked.length === 0, `blocked requests: ${blocked.join(', ')}`);
    });
  } finally {
    if (context) {
      await context.close().catch(() => undefined);
    }
    if (codeServer) {
      await stopGroup(codeServer.pid);
      const left = groupProcesses(codeServer.pid);
      const name = 'every process of the code-server group is gone';
      if (left.length === 0) {
        results.push({ name, status: 'passed' });
        log(`  ✔ ${name}`);
      } else {
        results.push({ name, status: 'failed', error: new Error(JSON.stringify(left)) });
        log(`  ✖ ${name}: ${JSON.stringify(left)}`);
      }
    }
  }

  const failed = results.filter((r) => r.status === 'failed');
  const passed = results.filter((r) => r.status === 'passed');
  const notRun = results.filter((r) => r.status === 'not run');
  if (failed.length > 0) {
    log('\nFailures:');
    for (const r of failed) {
      log(`  ${r.name}: ${String(r.error?.message ?? r.error).split('\n')[0]}`);
    }
    log('Screenshots:');
    for (const file of screenshots) {
      log(`  ${file}`);
    }
    log(`Logs: ${csLog}, ${path.join(DIRS.userData, 'logs')}`);
  }
  log(
    `vscode-e2e: ${passed.length} passed, ${failed.length} failed${notRun.length ? `, ${notRun.length} not run` : ''} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return failed.length === 0 && notRun.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    log(`vscode-e2e: setup failed: ${err?.stack ?? err}`);
    killGroupsNow();
    process.exit(1);
  },
);
