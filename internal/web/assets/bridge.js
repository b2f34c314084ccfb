// Progressive enhancement only: every page works without this file.
// On the search page, changing a facet marks the "Apply filters" button, so that it is clear the
// change takes effect when applied (results do not change under the user's hands: WCAG 3.2.2).
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var apply = document.getElementById('apply-filters');
  if (!form || !apply) { return; }
  form.addEventListener('change', function (e) {
    if (e.target && e.target.type === 'checkbox') { apply.classList.add('pending'); }
  });
})();
