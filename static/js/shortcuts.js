// Keyboard shortcuts, listed in the page footer: "/" search, "n" new note, "?" this list, and
// Ctrl+Enter (Cmd+Enter) saves the note form. Without JavaScript every control still works.
(function () {
  'use strict';

  function in_field(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.isComposing) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      var form = e.target && e.target.closest &&
        e.target.closest('form.note-form[action^="/notes/"]');
      if (!form) return;
      var button = form.querySelector('button[type="submit"]');
      if (!button) return;
      e.preventDefault();
      // A click runs the form's submit listeners (the draft keeper, the leave warning's
      // "saving" state), which form.submit() would skip.
      button.click();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || in_field(e.target)) return;
    if (e.key === '/') {
      var search = document.getElementById('search-q');
      if (!search) return;
      e.preventDefault();
      search.focus();
      search.select();
    } else if (e.key === 'n') {
      var link = document.querySelector('a.new-note');
      if (!link) return;
      e.preventDefault();
      window.location.assign(link.href);
    } else if (e.key === '?') {
      var help = document.getElementById('shortcuts');
      if (!help) return;
      e.preventDefault();
      help.open = !help.open;
      if (help.open) {
        var summary = help.querySelector('summary');
        summary.focus();
        summary.scrollIntoView({ block: 'nearest' });
      }
    } else if (e.key === 'Escape') {
      var open = document.getElementById('shortcuts');
      if (open && open.open) open.open = false;
    }
  });
})();
