// t_pages.mjs: every page type, in every state that changes the page, opened in Chromium: zero axe-core
// violations, and the same pages' HTML (as the server sent it) has zero Nu HTML Checker errors. The
// budgets (article HTML <= 30 KB, CSS and JS together <= 40 KB, nothing render-blocking but the one
// stylesheet, nothing from another site), the cache headers of the content-hashed static files, the print
// layout, and the screenshots of the article page, an answer page and the editor dashboard at phone and
// desktop widths.
//
// Page states: each demo article (under review, approved, submitted) for each audience; an article
// with changes requested, an approved one with an update in review, an approved one overdue for
// review; home, editorial policy, 404 and 400 pages; editor login (and after a wrong password),
// dashboard (and filtered), review page, editor (new, existing, preview, field errors, a conflicting
// save), diff; search (the form, with results, without results); the question form, the answer shown
// in place on it, and the answer page with passages and without (queued); an article with two approved
// versions, a version at its own address (earlier and current), what changed between two versions; an
// article citing a retracted study, and the dashboard flagging it.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  SRCDIR, axe, evqaBin, launch, removeDir, repeatedHeaders, screenshotDir, skipReason, startSite, tempDir, vnu,
  writeFile,
} from './lib.mjs';

const skip = await skipReason(test);
const AUDIENCES = ['clinician', 'nurse', 'pharmacist', 'student', 'patient'];
const KB = 1024;

let site, browser, ctx, page, outDir;
const visited = [];     // {name, status, want, file}

before(async () => {
  if (skip) return;
  site = await startSite(['--user', 'ed@x.org:editor:Edna Editor:MD', '--user', 'rev@x.org:reviewer:Rex Reviewer:PhD']);
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  outDir = tempDir('evqa-pages-');
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
  if (outDir) removeDir(outDir);
});

// Records the document the server sent (for the Nu checker) and checks its status.
async function record(name, resp, want) {
  assert.ok(resp, `${name}: no response`);
  const file = join(outDir, `${String(visited.length).padStart(2, '0')}.html`);
  writeFile(file, await resp.body());
  visited.push({ name, status: resp.status(), want, file });
  assert.equal(resp.status(), want, `${name}: HTTP status`);
}

async function checkAxe(name) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${name}: axe-core violations`);
}

async function open(name, path, want = 200) {
  const resp = await page.goto(site.url + path);
  await record(name, resp, want);
  await checkAxe(name);
  return resp;
}

// Submits the form around the button matched by selector and records the page that comes back.
async function submit(name, selector, want) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
  await record(name, resp, want);
  await checkAxe(name);
}

async function api(method, path, doc, token) {
  const r = await fetch(site.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: doc ? JSON.stringify(doc) : undefined,
  });
  return r;
}

function token(email) {
  const p = spawnSync(evqaBin(), ['token', 'add', '--db', site.db, '--email', email], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  return p.stdout.trim();
}

let canon = {};

test('each demo article, for each audience, has zero axe-core violations', { skip, timeout: 120000 }, async () => {
  for (const id of [1, 2, 3]) {
    const r = await fetch(`${site.url}/articles/${id}`, { redirect: 'manual' });
    canon[id] = new URL(r.headers.get('location'), site.url).pathname;
    for (const a of AUDIENCES) {
      await open(`article ${id} (${['', 'under review', 'approved', 'submitted'][id]}), ${a}`, `${canon[id]}?audience=${a}`);
    }
  }
});

test('home, editorial policy, 404 and 400 pages have zero axe-core violations', { skip }, async () => {
  await open('home page', '/');
  await open('editorial policy', '/editorial-policy');
  await open('404 page', '/articles/99/none', 404);
  await open('400 page', `${canon[1]}?audience=martian`, 400);
});

test('editor pages in each state have zero axe-core violations', { skip, timeout: 120000 }, async () => {
  await open('editor login', '/editor/login?next=%2Feditor');
  await page.fill('#login-email', 'ed@x.org');
  await page.fill('#login-password', 'wrong password here');
  await submit('editor login after a wrong password', 'form.editor-form button[type=submit]', 401);
  await page.fill('#login-email', 'ed@x.org');
  await page.fill('#login-password', site.password);
  await submit('editor dashboard (after login)', 'form.editor-form button[type=submit]', 200);
  await open('editor dashboard, filtered and sorted', '/editor?state=approved&sort=question');
  await open('review page (under review)', '/editor/articles/1');
  await open('review page (approved)', '/editor/articles/2');
  await open('new article form', '/editor/articles/new');
  await page.fill('#f-question', 'Does a cited claim need a reference?');
  await page.fill('#f-body-clinician', 'It cites a reference that is not listed [9].');
  await submit('new article form with field errors', 'form.editor-form button.button:not(.button-secondary)', 400);
  await open('article editor', '/editor/articles/3/edit');
  await page.fill('#f-body-clinician', `${await page.inputValue('#f-body-clinician')}\n\nOne more plain sentence.`);
  await submit('article editor with its preview', 'button[name=preview]', 200);
  // a conflicting save: another tab saves first
  const other = await ctx.newPage();
  await other.goto(`${site.url}/editor/articles/3/edit`);
  await Promise.all([other.waitForNavigation(), other.locator('form.editor-form button.button:not(.button-secondary)').click()]);
  await other.close();
  await submit('article editor after a conflicting save', 'form.editor-form button.button:not(.button-secondary)', 409);
  await open('diff page', '/editor/articles/3/diff');
});

test('the question queue has zero axe-core violations, empty and with a question', { skip, timeout: 60000 }, async () => {
  await open('question queue (nothing dismissed)', '/editor/questions?state=dismissed');
  const r = await fetch(`${site.url}/api/v1/questions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question: 'Do zebra-striped compression bandages heal venous leg ulcers faster?' }),
  });
  assert.equal(r.status, 201, await r.text());
  await open('question queue', '/editor/questions');
  const href = await page.locator('a[href^="/editor/questions/"]').first().getAttribute('href');
  assert.ok(href, 'the queue links each question');
  await open('a question in the queue', href);
});

test('articles changed by the workflow have zero axe-core violations', { skip, timeout: 60000 }, async () => {
  const rev = token('rev@x.org');
  const ed = token('ed@x.org');
  // article 3's newest revision is submitted (saved above): send it back
  let r = await api('POST', '/api/v1/articles/3/transitions', { to: 'changes_requested', reason: 'Cite the 2020 trial.' }, rev);
  assert.equal(r.status, 200, await r.text());
  await open('article with changes requested', canon[3]);
  await open('review page (changes requested)', '/editor/articles/3');
  // an approved article with a newer revision in review
  r = await api('GET', '/api/v1/articles/2/revisions/1', null, ed);
  assert.equal(r.status, 200);
  const etag = r.headers.get('etag');
  const doc = await r.json();
  r = await api('PUT', '/api/v1/articles/2', { question: doc.question, texts: doc.texts, references: doc.references }, ed);
  if (r.status === 428) {
    r = await fetch(`${site.url}/api/v1/articles/2`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ed}`, 'If-Match': etag },
      body: JSON.stringify({ question: doc.question, texts: doc.texts, references: doc.references }),
    });
  }
  assert.ok(r.ok, await r.text());
  await open('approved article with an update in review', canon[2]);
  // overdue for its scheduled review
  const p = spawnSync(process.env.PYTHON || 'python3', ['-c',
    'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE article SET review_by=\'2001-01-01T00:00:00Z\' WHERE id=2"); c.commit()',
    site.db], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  // public pages may be served from a cache for up to 5 s after a change (README: "Caching")
  let text = '';
  for (const started = Date.now(); Date.now() - started < 8000;) {
    const resp = await open('approved article overdue for review', canon[2]);
    text = await resp.text();
    if (/overdue/.test(text)) { break; }
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.match(text, /overdue/);
});

test('version pages and what changed between versions have zero axe-core violations', { skip, timeout: 60000 }, async () => {
  const rev = token('rev@x.org');
  const ed = token('ed@x.org');
  // a new revision of article 2 with a changed bottom line, approved: the article has two versions
  let r = await api('GET', '/api/v1/articles/2/revisions', null, ed);
  assert.equal(r.status, 200);
  const newest = Math.max(...(await r.json()).map((v) => v.number));
  r = await api('GET', '/api/v1/articles/2/revisions/1', null, ed);
  assert.equal(r.status, 200);
  const doc = await r.json();
  const etag = (await api('GET', `/api/v1/articles/2/revisions/${newest}`, null, ed)).headers.get('etag');
  const texts = doc.texts.map((t) => ({ ...t, bottom_line: t.bottom_line.replace(/^Yes\./, 'Yes, in most cases.') }));
  r = await fetch(`${site.url}/api/v1/articles/2`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ed}`, 'If-Match': etag },
    body: JSON.stringify({ question: doc.question, texts, references: doc.references }),
  });
  const saved = await r.json();
  assert.ok(r.ok, JSON.stringify(saved));
  const current = saved.revision;
  for (const to of ['under_review', 'approved']) {
    r = await api('POST', '/api/v1/articles/2/transitions', { to }, rev);
    assert.equal(r.status, 200, await r.text());
  }
  // public pages may be served from a cache for up to 5 s after a change (README: "Caching")
  let listed = 0;
  for (const started = Date.now(); Date.now() - started < 8000;) {
    await open('article with two approved versions', canon[2]);
    listed = await page.locator('.version-list li').count();
    if (listed === 2) { break; }
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.equal(listed, 2, 'both versions listed');
  await open('an earlier version at its own address', `${canon[2]}/v/1`);
  await open('an earlier version at its own address, patient wording', `${canon[2]}/v/1?audience=patient`);
  await open('the current version at its own address', `${canon[2]}/v/${current}`);
  await open('what changed between two versions', `${canon[2]}/changes?audience=clinician`);
  assert.match(await page.content(), /<ins>Yes, in most cases/, 'the added words are shown');
  await open('what changed, in a wording that did not change', `${canon[2]}/changes?audience=patient`);
  assert.match(await page.content(), /same text/, 'the patient wording did not change');
  // a revision that was never approved (one left in review above), else one that does not exist
  await open('a version that does not exist', `${canon[2]}/v/${current > 2 ? current - 1 : current + 1}`, 404);
});

test('an article citing a retracted study, and the dashboard that flags it, have zero axe-core violations',
  { skip, timeout: 60000 }, async () => {
    const ed = token('ed@x.org');
    const r = await api('POST', '/api/v1/articles', {
      question: 'Does the fictitious test drug lower blood pressure?',
      texts: [{ audience: 'clinician', bottom_line: 'Perhaps [1].', body: '- One trial says so [1].\n' }],
      references: [{ type: 'research', title: 'Fictitious trial of a test drug', source: 'Journal of Test Results',
        year: 2020, pmid: null, doi: '10.5555/evqa.retracted.1', url: null }],
    }, ed);
    const made = await r.json();
    assert.equal(r.status, 201, JSON.stringify(made));
    const { id } = made;
    const p = spawnSync(evqaBin(), ['references', 'check', '--db', site.db, '--retractions',
      join(SRCDIR, 'tests', 'fixtures', 'retractions-small.csv')], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const resp = await fetch(`${site.url}/articles/${id}`, { redirect: 'manual' });
    await open('article citing a retracted study', new URL(resp.headers.get('location'), site.url).pathname);
    assert.equal(await page.locator('.ref-notice').count(), 1, 'the notice beside the reference');
    await open('editor dashboard with a flagged article', '/editor');
    assert.equal(await page.locator('.flags li').count(), 1, 'the flagged article listed');
  });

let answerPath = null;

// Asks on /questions/new (the script shows the answer in place) and opens the answer's own page.
async function ask(question, name) {
  await open('question form', '/questions/new');
  await page.fill('#question-text', question);
  await page.locator('form.follow-up button').click();
  await page.waitForSelector('#follow-up-answer a[href^="/questions/"]', { timeout: 10000 });
  await checkAxe(`${name}, shown in place on the question form`);
  const href = await page.getAttribute('#follow-up-answer a[href^="/questions/"]', 'href');
  await open(name, href);
  return href;
}

test('search and readers\' question pages have zero axe-core violations', { skip, timeout: 60000 }, async () => {
  await open('search form', '/search');
  await open('search with results', '/search?q=acupuncture+pain');
  assert.ok(await page.locator('.search-result').count() > 0, 'results shown');
  await open('search without results', '/search?q=xqzvplorthwibble');
  assert.equal(await page.locator('.search-result').count(), 0);
  answerPath = await ask('Does acupuncture help chronic low back pain?', 'answer page with passages');
  assert.ok(await page.locator('li.passage').count() > 0, 'passages shown');
  await ask('Xqzv plorth wibble?', 'answer page without an answer');
  assert.equal(await page.locator('.answer-queued').count(), 1, 'the no-answer note');
});

test('the same pages have zero Nu HTML Checker errors', { skip, timeout: 300000 }, () => {
  assert.ok(visited.length >= 30, `only ${visited.length} pages were visited`);
  const errs = vnu(visited.map((v) => v.file));
  const bad = visited.filter((v) => errs[v.file]).map((v) => `${v.name}:\n  ${errs[v.file].join('\n  ')}`);
  const stray = Object.keys(errs).filter((f) => !visited.some((v) => v.file === f));
  assert.deepEqual(bad.concat(stray), [], 'Nu checker errors');
});

test('budgets: article HTML <= 30 KB, CSS and JS together <= 40 KB, one render-blocking request',
  { skip, timeout: 60000 }, async () => {
    const requests = [];
    const onReq = (r) => requests.push({ url: r.url(), type: r.resourceType() });
    page.on('request', onReq);
    const resp = await page.goto(`${site.url}${canon[1]}?audience=clinician`, { waitUntil: 'load' });
    page.off('request', onReq);
    const html = await resp.body();
    assert.ok(html.length <= 30 * KB, `article page is ${html.length} bytes`);
    for (const id of [1, 2, 3]) {
      for (const a of AUDIENCES) {
        const b = Buffer.from(await (await fetch(`${site.url}${canon[id]}?audience=${a}`)).arrayBuffer());
        assert.ok(b.length <= 30 * KB, `article ${id} for ${a} is ${b.length} bytes`);
      }
    }
    const origin = new URL(site.url).origin;
    const other = requests.filter((r) => new URL(r.url).origin !== origin);
    assert.deepEqual(other, [], 'requests to another site');
    const types = requests.map((r) => r.type).sort();
    assert.deepEqual(types, ['document', 'script', 'stylesheet'], `requests: ${JSON.stringify(requests)}`);

    const head = await page.evaluate(() => ({
      sheets: [...document.querySelectorAll('link[rel~="stylesheet"], style')].map((e) => e.outerHTML),
      // a data block (JSON-LD) is never run, so it blocks nothing
      blocking: [...document.querySelectorAll('script')].filter((s) => !(s.src && (s.defer || s.async))
        && !/^application\/(ld\+)?json$/.test(s.type)).map((s) => s.outerHTML),
      imports: [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r.type === CSSRule.IMPORT_RULE).length,
      css: document.querySelector('link[rel~="stylesheet"]').href,
      js: [...document.querySelectorAll('script[src]')].map((s) => s.src),
    }));
    assert.equal(head.sheets.length, 1, `stylesheets: ${head.sheets}`);
    assert.deepEqual(head.blocking, [], 'scripts without defer');
    assert.equal(head.imports, 0, '@import rules');

    let total = 0;
    for (const u of [head.css, ...head.js]) {
      const r = await fetch(u);
      assert.equal(r.status, 200, u);
      const body = Buffer.from(await r.arrayBuffer());
      total += body.length;
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', `Cache-Control of ${u}`);
      assert.ok(r.headers.get('content-security-policy'), `${u} keeps the security headers`);
      // the name carries the file's content hash, and nginx serves that file
      const m = new URL(u).pathname.match(/^\/static\/(css|js)\/([a-z0-9-]+)\.([0-9a-f]{10})\.(css|js)$/);
      assert.ok(m, `${u} has a content-hashed name`);
      const src = readFileSync(join(SRCDIR, 'static', m[1], `${m[2]}.${m[4]}`));
      assert.equal(m[3], createHash('sha256').update(src).digest('hex').slice(0, 10), `hash in ${u}`);
      assert.ok(body.equals(src), `${u} serves static/${m[1]}/${m[2]}.${m[4]}`);
    }
    assert.ok(total <= 40 * KB, `CSS and JS are ${total} bytes together`);
    const miss = await fetch(`${site.url}/static/css/evqa.0000000000.nope`);
    assert.equal(miss.headers.get('cache-control'), null, 'no year-long caching on a miss');
  });

test('printed, an article shows its text and references with their addresses, and no forms or navigation',
  { skip, timeout: 30000 }, async () => {
    await page.goto(`${site.url}${canon[2]}`);
    await page.emulateMedia({ media: 'print' });
    try {
      const shown = await page.evaluate(() => {
        const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
        const link = document.querySelector('.reference-list a.ref-link');
        return {
          forms: visible('form'), nav: visible('.site-header nav'), footer: visible('.site-footer'),
          backrefs: visible('.backrefs'), body: visible('.article-body'), refs: visible('.reference-list li'),
          bottom: visible('.bottom-line'), status: visible('.review-steps'),
          linkAfter: link ? getComputedStyle(link, '::after').content : null, href: link?.getAttribute('href'),
        };
      });
      assert.deepEqual({ forms: shown.forms, nav: shown.nav, footer: shown.footer, backrefs: shown.backrefs },
        { forms: false, nav: false, footer: false, backrefs: false }, 'hidden in print');
      assert.deepEqual({ body: shown.body, refs: shown.refs, bottom: shown.bottom, status: shown.status },
        { body: true, refs: true, bottom: true, status: true }, 'printed');
      assert.ok(shown.linkAfter && shown.linkAfter.includes(shown.href), `reference links print their address: ${shown.linkAfter}`);
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', 'Chromium prints it to PDF');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

test('screenshots of the article page, the answer page, the editor dashboard, a version page, what changed and the question queue at 390 px and 1280 px, none scrolling sideways', { skip, timeout: 60000 }, async () => {
  const dir = screenshotDir();
  assert.ok(answerPath, 'an answer page was made');
  const shots = [['article', `${canon[1]}?audience=clinician`], ['answer', answerPath], ['dashboard', '/editor'],
    ['version', `${canon[2]}/v/1`], ['changes', `${canon[2]}/changes?audience=clinician`],
    ['queue', '/editor/questions']];
  for (const [w, h, label] of [[390, 700, 'phone'], [1280, 720, 'desktop']]) {
    await page.setViewportSize({ width: w, height: h });
    for (const [name, path] of shots) {
      await page.goto(site.url + path);
      const file = join(dir, `${name}-${label}.png`);
      await page.screenshot({ path: file });
      assert.ok(statSync(file).size > 2000, `${file} was written`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= w, `${name} at ${w} px scrolls sideways (${wide} px wide)`);
    }
  }
});

test('every reply from the site that the browser saw sends each header once (Set-Cookie aside)', { skip }, async () => {
  assert.deepEqual(await repeatedHeaders(), []);
});
