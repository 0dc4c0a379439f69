// Ticks a task box on the note page without leaving it. The box's own form is posted with fetch,
// exactly as the browser would post it (CSRF token, the version the page showed); the server answers
// as it does without script, 303 to the note page, and that fresh page's note replaces the one shown,
// so the boxes, the versions in every form (task boxes, Pin/Unpin) and the Updated time are the
// server's. Any other answer (409 for a stale version, a refused token, a sign-in page, a network
// error) submits the form the ordinary way: the server's page and its message are shown instead.
(function () {
  'use strict';
  if (!document.querySelector('form.task-form') || !window.fetch || !window.DOMParser) return;

  var pending = new Set();  // task numbers posted or waiting: a second press sends nothing
  var queue = Promise.resolve();  // one post at a time: each sends the version the last one left
  var leaving = false;

  function box_of(n) {
    return document.querySelector('.task-box[data-task="' + n + '"]');
  }

  function mark_busy(n) {
    var box = box_of(n);
    if (!box) return;
    box.setAttribute('aria-busy', 'true');
    box.setAttribute('aria-disabled', 'true');
  }

  function mark_idle(n) {
    var box = box_of(n);
    if (!box) return;
    box.removeAttribute('aria-busy');
    box.removeAttribute('aria-disabled');
  }

  // The note's article from the fresh page takes the old one's place; the focused box keeps focus
  // (a screen reader then reads its new state) and boxes still waiting stay busy.
  function show(fresh) {
    var old = document.querySelector('article.note-detail');
    var focused = document.activeElement;
    var refocus = old.contains(focused) && focused.hasAttribute('data-task')
      ? focused.getAttribute('data-task') : null;
    var article = document.importNode(fresh, true);
    old.replaceWith(article);
    if (window.notes_local_time) window.notes_local_time(article);
    pending.forEach(mark_busy);
    var box = refocus && box_of(refocus);
    if (box) box.focus();
  }

  function send(n) {
    var form = document.getElementById('task-' + n);
    if (leaving || !form) {
      pending.delete(n);
      return null;
    }
    // The note's own page, where the server's 303 leads after a change.
    var note_path = new URL(form.action).pathname.replace(/\/tasks\/\d+$/, '');
    return fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (res) {
      if (!res.ok || !res.redirected || new URL(res.url).pathname !== note_path) {
        throw new Error('not the note page');
      }
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html')
        .querySelector('article.note-detail');
      if (!fresh) throw new Error('not the note page');
      return fresh;
    }).then(function (fresh) {
      pending.delete(n);
      show(fresh);
    }, function () {
      // Nothing was shown yet, so the form still holds the version this post sent.
      leaving = true;
      form.submit();
    });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains('task-form') || leaving) return;
    e.preventDefault();
    var n = form.id.slice('task-'.length);
    if (pending.has(n)) return;
    pending.add(n);
    mark_busy(n);
    queue = queue.then(function () {
      return send(n);
    }).then(function () {
      mark_idle(n);
    }, function () {
      // The change was kept but the page could not show it: the server's page shows it.
      window.location.reload();
    });
  });
})();
