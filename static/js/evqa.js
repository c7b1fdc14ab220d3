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

  audienceSwitch();
  editorForm();
}());
