// Shows note times in the reader's own time zone; without JavaScript the server's UTC text stays.
(function () {
  'use strict';
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  } catch (e) {
    return;
  }
  function localize(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var when = new Date(el.getAttribute('datetime'));
      if (isNaN(when.getTime())) return;
      // "edited 3 minutes ago" stays; its exact time, on hover, is localized instead.
      if (el.hasAttribute('data-relative')) {
        el.title = format.format(when);
        return;
      }
      el.title = el.textContent;
      el.textContent = format.format(when);
    });
  }
  localize(document);
  // Parts of a page that tasks.js takes from the server later are localized the same way.
  window.notes_local_time = localize;
})();
