/* evqa.js: small enhancements. Every page works without this file: each enhancement starts only when
 * its page is present and falls back to the page's own form on any error. */
(function () {
  'use strict';
  if (!window.fetch || !window.DOMParser || !document.querySelector || !window.URL) {
    return;
  }

  /* A polite live region for short announcements ("Showing the wording for nurses."). */
  var live = null;
  function announce(text) {
    if (!live) {
      live = document.createElement('p');
      live.className = 'visually-hidden';
      live.setAttribute('role', 'status');
      document.body.appendChild(live);
    }
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function fetchPage(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) { return new DOMParser().parseFromString(html, 'text/html'); });
  }

  /* Article page: the audience form swaps the article text in place. The page is fetched with
   * ?audience=CODE exactly as the form would load it (so the server stores the choice in its cookie),
   * and the address bar shows that address too. */
  function audienceSwitch() {
    var form = document.querySelector('form.audience');
    if (!form || !document.getElementById('audience-text') || !window.history.replaceState) { return; }
    form.addEventListener('submit', function (ev) {
      var choice = form.querySelector('input[name="audience"]:checked');
      if (!choice) { return; }
      ev.preventDefault();
      var url = new URL(form.getAttribute('action') || location.pathname, location.href);
      url.search = '?audience=' + encodeURIComponent(choice.value);
      var label = form.querySelector('label[for="' + choice.id + '"]');
      var button = form.querySelector('button');
      if (button) { button.disabled = true; }
      fetchPage(url.href).then(function (doc) {
        var fresh = doc.getElementById('audience-text');
        var old = document.getElementById('audience-text');
        if (!fresh || !old) { throw new Error('no article text'); }
        old.parentNode.replaceChild(document.importNode(fresh, true), old);
        var theirs = doc.querySelector('form.follow-up input[name="audience"]');
        var mine = document.querySelector('form.follow-up input[name="audience"]');
        if (theirs && mine) { mine.value = theirs.value; }
        window.history.replaceState(null, '', url.pathname + url.search);
        if (button) { button.disabled = false; }
        announce('Showing the wording for ' + (label ? label.textContent.toLowerCase() : choice.value) + '.');
      }).catch(function () {
        form.submit();
      });
    });
  }

  /* Article editor: a warning before leaving with unsaved changes, and a button that inserts a
   * citation marker [N] where the cursor is in the text field last edited. */
  function editorForm() {
    var form = document.querySelector('form.editor-form');
    if (!form || !form.querySelector('textarea')) { return; }
    var dirty = false;
    form.addEventListener('input', function () { dirty = true; });
    form.addEventListener('submit', function () { dirty = false; });
    window.addEventListener('beforeunload', function (ev) {
      if (dirty) {
        ev.preventDefault();
        ev.returnValue = '';
      }
    });

    var texts = form.querySelectorAll('textarea[name^="body_"], textarea[name^="bottom_"]');
    var first = form.querySelector('.audience-text');
    if (!texts.length || !first) { return; }
    var target = form.querySelector('textarea[name="body_clinician"]') || texts[0];
    Array.prototype.forEach.call(texts, function (t) {
      t.addEventListener('input', function () { target = t; });
    });

    var refs = form.querySelector('textarea[name="references"]');
    var tool = document.createElement('div');
    tool.className = 'cite-tool';
    var lab = document.createElement('label');
    lab.htmlFor = 'cite-number';
    lab.textContent = 'Reference number';
    var num = document.createElement('input');
    num.type = 'number';
    num.id = 'cite-number';
    num.min = '1';
    num.value = '1';
    num.inputMode = 'numeric';
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'button button-secondary';
    btn.textContent = 'Insert citation marker';
    var hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = 'cite-hint';
    hint.textContent = 'Inserts [N] at the cursor in the text field you last edited.';
    num.setAttribute('aria-describedby', 'cite-hint');
    tool.appendChild(lab);
    tool.appendChild(hint);
    tool.appendChild(num);
    tool.appendChild(btn);
    first.parentNode.insertBefore(tool, first);

    function refCount() {
      if (!refs) { return 0; }
      return refs.value.split('\n').filter(function (l) { return l.trim() !== ''; }).length;
    }
    function updateMax() {
      var n = refCount();
      if (n > 0) { num.max = String(n); } else { num.removeAttribute('max'); }
    }
    if (refs) { refs.addEventListener('input', updateMax); }
    updateMax();

    btn.addEventListener('click', function () {
      var n = parseInt(num.value, 10);
      if (!(n >= 1) || (num.max && n > parseInt(num.max, 10))) {
        num.focus();
        announce('Choose a reference number from 1 to ' + (num.max || 'the number of references') + '.');
        return;
      }
      var marker = '[' + n + ']';
      var start = target.selectionStart, end = target.selectionEnd;
      target.setRangeText(marker, start, end, 'end');
      target.focus();
      dirty = true;
      announce('Inserted ' + marker + '.');
    });
  }

  /* Follow-up question (article page, /questions/new): asked through the JSON API and its answer
   * shown below the form; the answer's own page is the one the form would have led to. On any error
   * before the question is stored, the form is sent as usual; after, the browser goes to its page. */
  function followUp() {
    var form = document.querySelector('form.follow-up');
    if (!form || !window.JSON) { return; }
    form.addEventListener('submit', function (ev) {
      var text = form.querySelector('textarea[name="question"]');
      if (!text || !text.value.trim()) { return; }
      ev.preventDefault();
      var doc = { question: text.value };
      var art = form.querySelector('input[name="article"]');
      var aud = form.querySelector('input[name="audience"]');
      if (art && /^[1-9][0-9]*$/.test(art.value)) { doc.article = parseInt(art.value, 10); }
      if (aud && aud.value) { doc.audience = aud.value; }
      var button = form.querySelector('button');
      if (button) { button.disabled = true; }
      var asked = null;
      fetch('/api/v1/questions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(doc)
      }).then(function (r) {
        if (r.status !== 200 && r.status !== 201) { throw new Error('HTTP ' + r.status); }
        return r.json();
      }).then(function (q) {
        if (!q || typeof q.url !== 'string' || q.url.charAt(0) !== '/') { throw new Error('no answer page'); }
        asked = q.url;
        return fetchPage(q.url);
      }).then(function (page) {
        var main = page.querySelector('main');
        if (!main) { throw new Error('no answer'); }
        var box = document.getElementById('follow-up-answer');
        if (!box) {
          box = document.createElement('section');
          box.id = 'follow-up-answer';
          box.className = 'follow-up-answer';
          box.setAttribute('aria-labelledby', 'follow-up-answer-h');
          box.tabIndex = -1;
          form.parentNode.insertBefore(box, form.nextSibling);
        }
        while (box.firstChild) { box.removeChild(box.firstChild); }
        Array.prototype.forEach.call(main.childNodes, function (n) {
          var node = document.importNode(n, true);
          if (node.nodeType === 1 && node.tagName === 'H1') {
            var h = document.createElement('h2');
            h.textContent = node.textContent;
            node = h;
          }
          if (node.nodeType === 1) {
            Array.prototype.forEach.call(node.querySelectorAll('[id]'), function (e) { e.id = 'fa-' + e.id; });
            Array.prototype.forEach.call(node.querySelectorAll('[aria-labelledby]'), function (e) {
              e.setAttribute('aria-labelledby', 'fa-' + e.getAttribute('aria-labelledby'));
            });
            if (node.id) { node.id = 'fa-' + node.id; }
            if (node.getAttribute('aria-labelledby')) {
              node.setAttribute('aria-labelledby', 'fa-' + node.getAttribute('aria-labelledby'));
            }
          }
          box.appendChild(node);
        });
        var first = box.querySelector('h2');
        if (first) { first.id = 'follow-up-answer-h'; }
        var own = document.createElement('p');
        var link = document.createElement('a');
        link.href = asked;
        link.textContent = 'Open this answer on its own page';
        own.appendChild(link);
        box.appendChild(own);
        text.value = '';
        if (button) { button.disabled = false; }
        box.focus();
      }).catch(function () {
        if (asked) {
          window.location.assign(asked);
        } else {
          form.submit();
        }
      });
    });
  }

  audienceSwitch();
  followUp();
  editorForm();
}());
