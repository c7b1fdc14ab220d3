// t_journeys.mjs: the three journeys in Chromium, each done with the keyboard only (Tab, Shift+Tab,
// arrows, Enter and typing; every focus passed on the way must be visible):
//   1. a clinician opens an article, changes the audience, follows a citation to its reference and
//      back, asks a follow-up question and reads the answer: once with JavaScript on (the text and the
//      answer appear in place) and once with it off (page loads);
//   2. an author writes a new article with references; a reviewer opens the diff and requests changes
//      with a reason; the author revises; the reviewer approves; the public page shows the approver;
//   3. front-end code on a page from a second origin calls the JSON API with fetch() and reads ETag,
//      Link and X-Total-Count through CORS, and posts a follow-up question; a third, unlisted origin
//      can do neither.
// Also: the article editor warns before leaving unsaved changes.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { launch, repeatedHeaders, skipReason, startSite, tabTo } from './lib.mjs';

const skip = await skipReason(test);
let site, browser, allowed, unlisted;

// A tiny static site on another port: index.html and app.js, which calls the API named in ?api=.
const APP_HTML = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Client</title>'
  + '<script src="/app.js" defer></script></head><body><h1>Client</h1><pre id="out"></pre></body></html>';
const APP_JS = `
window.result = (async () => {
  const api = new URLSearchParams(location.search).get('api');
  const out = {};
  try {
    const r = await fetch(api + '/api/v1/articles?page=1&per_page=1');
    out.status = r.status;
    out.etag = r.headers.get('ETag');
    out.link = r.headers.get('Link');
    out.total = r.headers.get('X-Total-Count');
    out.items = (await r.json()).length;
    const again = await fetch(api + '/api/v1/articles?page=1&per_page=1', { headers: { 'If-None-Match': out.etag } });
    out.revalidated = again.status;
    const one = await fetch(api + '/api/v1/articles/2');
    out.articleEtag = one.headers.get('ETag');
    out.question = (await one.json()).question;
  } catch (e) {
    out.error = String(e);
  }
  try {
    const p = await fetch(api + '/api/v1/questions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: 'Is apixaban safer than warfarin for atrial fibrillation?', article: 2 }),
    });
    out.postStatus = p.status;
    out.location = p.headers.get('Location');
    const asked = await p.json();
    out.token = asked.token;
    out.passages = asked.answer.passages.length;
  } catch (e) {
    out.postError = String(e);
  }
  document.getElementById('out').textContent = JSON.stringify(out, null, 1);
  return out;
})();
`;

function staticServer() {
  return new Promise((res) => {
    const s = createServer((req, resp) => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/') {
        resp.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        resp.end(APP_HTML);
      } else if (path === '/app.js') {
        resp.writeHead(200, { 'Content-Type': 'text/javascript' });
        resp.end(APP_JS);
      } else {
        resp.writeHead(404);
        resp.end();
      }
    });
    s.listen(0, '127.0.0.1', () => res(s));
  });
}
const origin = (s) => `http://127.0.0.1:${s.address().port}`;

before(async () => {
  if (skip) return;
  allowed = await staticServer();
  unlisted = await staticServer();
  site = await startSite(['--user', 'ann@x.org:author:Ann Author', '--user', 'rex@x.org:reviewer:Rex Reviewer:MD, PhD',
    '--cors-origin', origin(allowed)]);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
  for (const s of [allowed, unlisted]) if (s) s.close();
});

async function press(page, key, { navigates = false } = {}) {
  if (!navigates) return page.keyboard.press(key);
  const [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  return resp;
}

async function clinicianJourney(js) {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  try {
    await page.goto(`${site.url}/`);
    await tabTo(page, 'a.article-link[href^="/articles/2/"]');
    let resp = await press(page, 'Enter', { navigates: true });
    assert.equal(resp.status(), 200);
    const path = new URL(page.url()).pathname;
    assert.match(path, /^\/articles\/2\/[a-z0-9-]+$/);
    const before = await page.textContent('.bottom-line-text');

    // the audience: the radio group takes one Tab stop; arrows choose; Apply
    await tabTo(page, 'input[name="audience"]');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'patient');
    await tabTo(page, 'form.audience button');
    if (js) {
      await page.evaluate(() => { window.noReload = true; });
      await press(page, 'Enter');
      await page.waitForFunction(() => location.search === '?audience=patient', null, { timeout: 10000 });
      await page.waitForFunction((b) => document.querySelector('.bottom-line-text').textContent !== b, before);
      assert.equal(await page.evaluate(() => window.noReload), true, 'the page was not reloaded');
      await page.waitForFunction(() => /wording for patient or caregiver/.test(document.querySelector('p[role="status"].visually-hidden')?.textContent),
        null, { timeout: 5000 });
      assert.equal(await page.evaluate(() => document.querySelector('form.follow-up input[name="audience"]').value), 'patient');
    } else {
      resp = await press(page, 'Enter', { navigates: true });
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).search, '?audience=patient');
    }
    assert.notEqual(await page.textContent('.bottom-line-text'), before, 'the wording changed');
    assert.equal(await page.isChecked('#audience-patient'), true);
    const cookies = await ctx.cookies();
    assert.equal(cookies.find((c) => c.name === 'evqa_audience')?.value, 'patient', 'the choice is kept in its cookie');

    // a citation to its reference, and back
    await tabTo(page, '.article-body sup.cite a');
    const cite = await page.evaluate(() => ({ id: document.activeElement.id, href: document.activeElement.getAttribute('href') }));
    await press(page, 'Enter');
    // a fragment link moves on in its own task: wait for it (a loaded machine is slow to get there)
    await page.waitForFunction((h) => location.hash === h, cite.href, { timeout: 5000 }).catch(() => {});
    assert.equal(new URL(page.url()).hash, cite.href);
    assert.equal(await page.evaluate(() => document.querySelector(':target')?.classList.contains('reference')), true);
    await tabTo(page, `${cite.href} a.backref[href="#${cite.id}"]`, { max: 8 });
    await press(page, 'Enter');
    await page.waitForFunction((h) => location.hash === h, `#${cite.id}`, { timeout: 5000 }).catch(() => {});
    assert.equal(new URL(page.url()).hash, `#${cite.id}`);
    const inView = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    }, cite.id);
    assert.ok(inView, 'back at the citation');
    // a fresh visit keeps the chosen audience
    await page.goto(`${site.url}${path}`);
    assert.equal(await page.isChecked('#audience-patient'), true);

    // a follow-up question, and its answer
    const question = `Is apixaban safer than warfarin for bleeding in the brain? (${js ? 'script' : 'form'})`;
    // past the contents, the citations, the version list and each reference's citation links
    await tabTo(page, '#follow-up-question', { max: 160 });
    await page.keyboard.type(question);
    await tabTo(page, 'form.follow-up button', { max: 2 });
    if (js) {
      await page.evaluate(() => { window.noReload = true; });
      await press(page, 'Enter');
      await page.waitForSelector('#follow-up-answer li.passage', { timeout: 10000 });
      assert.equal(await page.evaluate(() => window.noReload), true, 'the page was not reloaded');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'follow-up-answer', 'focus moves to the answer');
      assert.equal(new URL(page.url()).pathname, path);
      assert.equal((await page.textContent('#follow-up-answer blockquote.asked')).trim(), question);
      await tabTo(page, '#follow-up-answer a[href^="/questions/"]');
      resp = await press(page, 'Enter', { navigates: true });
    } else {
      resp = await press(page, 'Enter', { navigates: true });
    }
    assert.equal(resp.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/questions\/[0-9a-f]{32}$/);
    assert.equal((await page.textContent('blockquote.asked')).trim(), question);
    assert.ok(await page.locator('li.passage').count() > 0, 'the answer has passages');
    assert.match(await page.textContent('li.passage'), /warfarin|anticoagula/i);
  } finally {
    await ctx.close();
  }
}

test('journey 1, JavaScript on: an article, the audience in place, a citation and back, a follow-up answered in place, by keyboard',
  { skip, timeout: 60000 }, () => clinicianJourney(true));

test('journey 1, JavaScript off: the same with page loads', { skip, timeout: 60000 }, () => clinicianJourney(false));

async function login(page, email) {
  await page.goto(`${site.url}/editor/login`);
  await tabTo(page, '#login-email');
  await page.keyboard.type(email);
  await tabTo(page, '#login-password', { max: 2 });
  await page.keyboard.type(site.password);
  const resp = await press(page, 'Enter', { navigates: true });
  assert.equal(new URL(page.url()).pathname, '/editor', `login of ${email}: ${resp.status()}`);
}

async function transition(page, to, reason) {
  if (reason) {
    await tabTo(page, `#reason-${to}`);
    await page.keyboard.type(reason);
  }
  await tabTo(page, `form.transition:has(input[name="to"][value="${to}"]) button`);
  const resp = await press(page, 'Enter', { navigates: true });
  assert.equal(resp.status(), 200, `${to}: ${await resp.text()}`);
}

test('journey 2: write, request changes with a reason, revise, approve; the public page names the approver',
  { skip, timeout: 90000 }, async () => {
    const actx = await browser.newContext();
    const rctx = await browser.newContext();
    const author = await actx.newPage();
    const reviewer = await rctx.newPage();
    try {
      await login(author, 'ann@x.org');
      await tabTo(author, 'a[href="/editor/articles/new"]');
      await press(author, 'Enter', { navigates: true });
      await tabTo(author, '#f-question');
      await author.keyboard.type('Do short antibiotic courses cure cellulitis?');
      await tabTo(author, '#f-references');
      await author.keyboard.type('research | A trial of short courses | Arch Intern Med | 2004 | 15249356 | |');
      await author.keyboard.press('Enter');
      await author.keyboard.type('guideline | Cellulitis: antimicrobial prescribing | NICE | 2019 | | | https://www.nice.org.uk/guidance/ng141');
      await tabTo(author, '#f-bottom-clinician');
      await author.keyboard.type('Five days is usually enough [1].');
      await tabTo(author, '#f-body-clinician');
      await author.keyboard.type('## Evidence\n\nShort courses worked as well as long ones [1]. Guidance agrees ');
      // the citation helper: number 2, inserted where the cursor was in the body
      await tabTo(author, '#cite-number', { back: true });
      await author.keyboard.press('Control+A');
      await author.keyboard.type('2');
      await tabTo(author, '.cite-tool button', { max: 2 });
      await author.keyboard.press('Enter');
      assert.match(await author.inputValue('#f-body-clinician'), /Guidance agrees \[2\]$/);
      await author.keyboard.type('.');
      await tabTo(author, 'form.editor-form button.button:not(.button-secondary)');
      let resp = await press(author, 'Enter', { navigates: true });
      const m = new URL(author.url()).pathname.match(/^\/editor\/articles\/(\d+)$/);
      assert.ok(m, `saved, now at ${author.url()} (${resp.status()}): ${(await resp.text()).slice(0, 400)}`);
      const id = m[1];

      // the reviewer finds it on the dashboard, reads the diff, requests changes
      await login(reviewer, 'rex@x.org');
      await tabTo(reviewer, `a[href="/editor/articles/${id}"]`);
      await press(reviewer, 'Enter', { navigates: true });
      await tabTo(reviewer, `a[href="/editor/articles/${id}/diff"]`);
      resp = await press(reviewer, 'Enter', { navigates: true });
      assert.equal(resp.status(), 200);
      assert.match(await reviewer.textContent('main'), /Short courses worked as well/);
      await tabTo(reviewer, `a[href="/editor/articles/${id}"]`);
      await press(reviewer, 'Enter', { navigates: true });
      await transition(reviewer, 'changes_requested', 'Add the size of the trial.');
      assert.match(await reviewer.textContent('main'), /Add the size of the trial\./);

      // the author revises
      await author.goto(`${site.url}/editor/articles/${id}`);
      assert.match(await author.textContent('main'), /Add the size of the trial\./);
      await tabTo(author, `a[href="/editor/articles/${id}/edit"]`);
      await press(author, 'Enter', { navigates: true });
      await tabTo(author, '#f-body-clinician');
      await author.keyboard.press('Control+End');
      await author.keyboard.type(' The trial randomised 87 people [1].');
      await tabTo(author, 'form.editor-form button.button:not(.button-secondary)');
      resp = await press(author, 'Enter', { navigates: true });
      assert.equal(new URL(author.url()).pathname, `/editor/articles/${id}`, `revised: ${resp.status()}`);

      // the reviewer starts the review and approves
      await reviewer.goto(`${site.url}/editor/articles/${id}`);
      await transition(reviewer, 'under_review');
      await transition(reviewer, 'approved');

      // the public page
      const pub = await (await browser.newContext()).newPage();
      await pub.goto(`${site.url}/articles/${id}`);
      const by = await pub.textContent('.approved-by');
      assert.match(by, /Approved by Rex Reviewer, MD, PhD on /);
      assert.match(await pub.textContent('.article-body'), /randomised 87 people/);
      assert.equal(await pub.locator('.caution').count(), 0, 'no pending-review caution');
      await pub.context().close();
    } finally {
      await actx.close();
      await rctx.close();
    }
  });

test('the article editor warns before leaving unsaved changes', { skip, timeout: 30000 }, async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await login(page, 'ann@x.org');
    await page.goto(`${site.url}/editor/articles/new`);
    await tabTo(page, '#f-question');
    await page.keyboard.type('Unsaved?');
    const seen = [];
    page.on('dialog', (d) => { seen.push(d.type()); d.accept(); });
    await page.goto(`${site.url}/editor`);
    assert.deepEqual(seen, ['beforeunload'], 'leaving with unsaved changes asks first');
    // after saving, or with nothing typed, it does not ask
    seen.length = 0;
    await page.goto(`${site.url}/editor/articles/new`);
    await page.goto(`${site.url}/editor`);
    assert.deepEqual(seen, [], 'no question without changes');
  } finally {
    await ctx.close();
  }
});

test('journey 3: a page from an allowed second origin reads ETag, Link and X-Total-Count through CORS and posts a question',
  { skip, timeout: 30000 }, async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(`${origin(allowed)}/?api=${encodeURIComponent(site.url)}`);
      const out = await page.evaluate(() => window.result);
      assert.equal(out.error, undefined, out.error);
      assert.equal(out.postError, undefined, out.postError);
      assert.equal(out.status, 200);
      assert.match(out.etag || '', /^"/, 'ETag readable');
      assert.match(out.link || '', /rel="next"/, 'Link readable');
      const direct = await fetch(`${site.url}/api/v1/articles?page=1&per_page=1`);
      assert.equal(out.total, direct.headers.get('x-total-count'), 'X-Total-Count readable');
      assert.match(out.total, /^[1-9][0-9]*$/);
      assert.equal(out.items, 1);
      assert.equal(out.revalidated, 304, 'If-None-Match (a preflighted header) answers 304');
      assert.match(out.articleEtag || '', /^"/);
      assert.ok(out.question);
      assert.equal(out.postStatus, 201, 'POST /api/v1/questions from the second origin');
      assert.match(out.location || '', /^\/api\/v1\/questions\/[0-9a-f]{32}$/, 'Location readable');
      assert.equal(out.location, `/api/v1/questions/${out.token}`);
      assert.ok(out.passages > 0, 'the answer has passages');
      // the same page from an origin evqa was not told about cannot read the answer
      await page.goto(`${origin(unlisted)}/?api=${encodeURIComponent(site.url)}`);
      const denied = await page.evaluate(() => window.result);
      assert.match(denied.error || '', /TypeError/);
      assert.match(denied.postError || '', /TypeError/);
    } finally {
      await ctx.close();
    }
  });

test('every reply from the site that the browser saw sends each header once (Set-Cookie aside)', { skip }, async () => {
  assert.deepEqual(await repeatedHeaders(), []);
});
