// lib.mjs: shared pieces of the browser tests: the site under test (tests/browser/serve.py: evqa behind
// nginx on a fresh demo database), Debian's Chromium driven by playwright-core, axe-core, the Nu HTML
// Checker and keyboard helpers.
//
// Environment: CHROMIUM (default /usr/bin/chromium), CI=true (a missing browser or npm package is a
// failure, not a skip), PYTHON (default python3), VNU_JAR, top_srcdir and top_builddir (from automake),
// EVQA_SCREENSHOT_DIR (where the screenshots go; default tests/browser/screenshots in the build directory).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SRCDIR = resolve(process.env.top_srcdir || join(HERE, '..', '..'));
export const BUILDDIR = resolve(process.env.top_builddir || process.cwd());
const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let playwright = null;
let axeSource = null;

// Why the browser layer cannot run here ('' when it can). In CI that reason is a failure.
export async function unavailable() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} not found (apt-get install chromium)`);
  try {
    playwright = await import('playwright-core');
  } catch {
    missing.push('playwright-core not installed (npm ci --ignore-scripts)');
  }
  try {
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    missing.push('axe-core not installed (npm ci --ignore-scripts)');
  }
  if (!existsSync(join(BUILDDIR, 'cgi', 'evqa')) && !process.env.EVQA_BIN) missing.push('evqa is not built');
  return missing.join('; ');
}

// The skip option for the file's tests: false when they can run, else the reason. In CI (CI=true) a
// missing piece is also reported as a failed test.
export async function skipReason(test) {
  const why = await unavailable();
  if (!why) return false;
  if (process.env.CI === 'true') {
    test('Chromium, playwright-core and axe-core are available (required in CI)', () => {
      throw new Error(why);
    });
  }
  return why;
}

// Starts evqa behind nginx (serve.py). Returns {url, db, dir, password, stop()}.
export async function startSite(args = []) {
  const py = process.env.PYTHON || 'python3';
  const child = spawn(py, [join(SRCDIR, 'tests', 'browser', 'serve.py'), ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((res, rej) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) res(buf.slice(0, nl));
    });
    child.on('exit', (code) => rej(new Error(`serve.py exited with status ${code} before the site answered`)));
    setTimeout(() => rej(new Error('serve.py did not report the site within 30 s')), 30000).unref();
  });
  const info = JSON.parse(line);
  if (info.skip) throw new Error(`the site cannot start: ${info.skip}`);
  siteOrigins.add(new URL(info.url).origin);
  info.stop = () => new Promise((res) => {
    if (child.exitCode !== null) return res();
    child.on('exit', () => res());
    child.stdin.end();
    setTimeout(() => { child.kill('SIGTERM'); }, 15000).unref();
  });
  return info;
}

// The origins of the sites startSite() started: the replies whose headers watchReplies() checks.
const siteOrigins = new Set();
// Headers a reply may carry more than once (one cookie a header).
const MAY_REPEAT = new Set(['set-cookie']);
const repeats = [];     // "METHOD URL: name, ..." of each reply that sent a header twice
const pending = [];     // header checks still reading a reply

// Checks the raw headers of every reply from the site under test that a page of ctx receives.
function watchReplies(ctx) {
  ctx.on('response', (resp) => {
    if (!siteOrigins.has(new URL(resp.url()).origin)) return;
    pending.push(resp.headersArray().then((hs) => {
      const seen = new Set(), twice = new Set();
      for (const { name } of hs) {
        const n = name.toLowerCase();
        if (seen.has(n) && !MAY_REPEAT.has(n)) twice.add(n);
        seen.add(n);
      }
      if (twice.size) repeats.push(`${resp.request().method()} ${resp.url()}: ${[...twice].join(', ')}`);
    }, () => {}));
  });
}

// The replies from the site that sent a header more than once (Set-Cookie aside), as
// "METHOD URL: names", once every reply seen so far has been read; [] when there are none.
export async function repeatedHeaders() {
  await Promise.all(pending);
  return repeats.slice();
}

// A fresh Chromium (playwright gives each launch its own temporary profile directory). Every context
// made with its newContext() has its replies' headers checked (repeatedHeaders()).
export async function launch() {
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    timeout: 30000 });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const ctx = await newContext(...args);
    watchReplies(ctx);
    return ctx;
  };
  return browser;
}

// Runs axe-core in the page; returns the violations, each as a readable line.
export async function axe(page) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return res;
}

// Presses Tab (Shift+Tab with back) until the focused element matches selector; asserts every focus
// it passes is visible (an outline, or a focus style that changes the background). Returns the number
// of key presses. Throws when the element is not reached within max presses.
export async function tabTo(page, selector, { max = 80, back = false } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const st = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { none: true };
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
      const shadow = cs.boxShadow && cs.boxShadow !== 'none';
      return {
        match: el.matches(sel),
        visible: outline || shadow,
        what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`,
      };
    }, selector);
    if (st.none) continue;
    if (!st.visible) throw new Error(`keyboard focus on ${st.what} is not visible (no outline)`);
    if (st.match) return i;
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab`);
}

// The Nu HTML Checker over files; returns {file: [error lines]} and a stray list. Null when it cannot run.
export function vnuJar() {
  if (process.env.VNU_JAR) return process.env.VNU_JAR;
  let d = SRCDIR;
  for (;;) {
    const jar = join(d, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    if (existsSync(jar)) return jar;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

export function vnu(files) {
  const jar = vnuJar();
  if (!jar) throw new Error('vnu.jar not found (npm ci --ignore-scripts)');
  const p = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files],
    { encoding: 'utf8', timeout: 300000 });
  let report = null;
  for (const s of [p.stderr, p.stdout]) {
    try { report = JSON.parse(s); break; } catch { /* the other stream */ }
  }
  if (!report || !Array.isArray(report.messages)) {
    throw new Error(`the Nu checker did not report in JSON: status ${p.status} ${p.error || ''}\n${(p.stderr || '').slice(-1500)}`);
  }
  const byFile = {};
  for (const m of report.messages) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    const f = decodeURIComponent(new URL(m.url || 'file:///stray').pathname);
    (byFile[f] ||= []).push(`line ${m.lastLine ?? '?'}: ${m.message} [${(m.extract || '').replace(/\s+/g, ' ').trim()}]`);
  }
  return byFile;
}

export function tempDir(prefix) {
  return mkdtempSync(join(process.env.TMPDIR || tmpdir(), prefix));
}

export function removeDir(d) {
  if (!process.env.EVQA_KEEP_TMP) rmSync(d, { recursive: true, force: true });
}

export function screenshotDir() {
  const d = process.env.EVQA_SCREENSHOT_DIR || join(BUILDDIR, 'tests', 'browser', 'screenshots');
  mkdirSync(d, { recursive: true });
  return d;
}

export function writeFile(path, data) {
  writeFileSync(path, data);
}

// The evqa binary, for `evqa` commands against the test database.
export function evqaBin() {
  return process.env.EVQA_BIN || join(BUILDDIR, 'cgi', 'evqa');
}
