// Unsaved text is not lost: leaving a changed note form asks first, and the new-note form keeps a
// draft in this browser's localStorage (one per account), offered back on the next visit and
// removed once the note is created or the draft is discarded.
(function () {
  'use strict';
  var account = document.querySelector('.account-link');
  var key = 'notes.draft.new:' + (account ? account.textContent : '');
  var sent_key = 'notes.draft.sent';
  var store = null;
  try {
    store = window.localStorage;
    store.getItem(key);
  } catch (e) {
    store = null;
  }

  function session_take(name) {
    try {
      var value = window.sessionStorage.getItem(name);
      window.sessionStorage.removeItem(name);
      return value;
    } catch (e) {
      return null;
    }
  }

  function session_put(name) {
    try {
      window.sessionStorage.setItem(name, '1');
    } catch (e) { /* no session storage: the draft stays until discarded */ }
  }

  // A create answers with the new note's page; a validation error shows the form again and an
  // error page is neither, so only the note's page ends the draft.
  if (store && session_take(sent_key) && /^\/notes\/\d+$/.test(window.location.pathname)) {
    store.removeItem(key);
  }
  document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
    f.addEventListener('submit', function () {
      if (store) store.removeItem(key);
    });
  });

  var form = document.querySelector('form.note-form[action^="/notes/"]');
  if (!form) return;
  // A refused save (a field error, a bad token, an edit conflict) shows text that is not stored:
  // leaving that page asks even before anything is typed.
  var refused = document.querySelector('.form-card .alert, .form-card .field-error, .rejected');
  var fields = {
    title: form.elements.namedItem('title'),
    content: form.elements.namedItem('content'),
    tags: form.elements.namedItem('tags'),
    pinned: form.elements.namedItem('is_pinned'),
  };

  function read() {
    return {
      title: fields.title ? fields.title.value : '',
      content: fields.content ? fields.content.value : '',
      tags: fields.tags ? fields.tags.value : '',
      pinned: fields.pinned ? fields.pinned.checked : false,
    };
  }

  function same(a, b) {
    return a.title === b.title && a.content === b.content && a.tags === b.tags &&
      a.pinned === b.pinned;
  }

  function blank(d) {
    return !d.title.trim() && !d.content.trim() && !d.tags.trim();
  }

  var initial = read();
  var submitting = false;
  window.addEventListener('beforeunload', function (e) {
    if (submitting || (!refused && same(read(), initial))) return;
    e.preventDefault();
    e.returnValue = '';
  });
  form.addEventListener('submit', function () {
    submitting = true;
  });

  if (!store || form.getAttribute('action') !== '/notes/new') return;

  var offer = null;
  var timer = 0;
  function save() {
    window.clearTimeout(timer);
    timer = 0;
    if (offer) return;  // the stored draft waits for restore or discard
    var d = read();
    try {
      if (blank(d)) {
        store.removeItem(key);
      } else {
        d.saved_at = new Date().toISOString();
        store.setItem(key, JSON.stringify(d));
      }
    } catch (e) { /* storage full or refused: the leave warning still guards the text */ }
  }
  form.addEventListener('input', function () {
    if (!timer) timer = window.setTimeout(save, 400);
  });
  form.addEventListener('change', save);
  window.addEventListener('pagehide', save);
  form.addEventListener('submit', function () {
    save();
    session_put(sent_key);
  });

  var stored = null;
  try {
    stored = JSON.parse(store.getItem(key) || 'null');
  } catch (e) {
    stored = null;
  }
  if (!stored || typeof stored !== 'object') return;
  var draft = {
    title: String(stored.title || ''),
    content: String(stored.content || ''),
    tags: String(stored.tags || ''),
    pinned: stored.pinned === true,
  };
  // The form already holds text (the server sent it back with an error): nothing to offer.
  if (blank(draft) || !blank(initial) || same(draft, initial)) return;

  offer = document.createElement('div');
  offer.className = 'draft-offer';
  offer.setAttribute('role', 'status');
  var text = document.createElement('p');
  var when = new Date(stored.saved_at);
  text.textContent = 'You have an unsaved draft' +
    (draft.title.trim() ? ' \u201c' + draft.title.trim() + '\u201d' : '') +
    (isNaN(when.getTime()) ? '' : ' from ' + when.toLocaleString()) + '.';
  var restore = document.createElement('button');
  restore.type = 'button';
  restore.className = 'button primary';
  restore.textContent = 'Restore draft';
  var discard = document.createElement('button');
  discard.type = 'button';
  discard.className = 'button ghost';
  discard.textContent = 'Discard draft';
  offer.append(text, restore, discard);
  form.parentNode.insertBefore(offer, form);

  function close() {
    offer.remove();
    offer = null;
  }
  restore.addEventListener('click', function () {
    if (fields.title) fields.title.value = draft.title;
    if (fields.content) fields.content.value = draft.content;
    if (fields.tags) fields.tags.value = draft.tags;
    if (fields.pinned) fields.pinned.checked = draft.pinned;
    close();
    if (fields.title) fields.title.focus();
  });
  discard.addEventListener('click', function () {
    store.removeItem(key);
    close();
    save();
    if (fields.title) fields.title.focus();
  });
})();
