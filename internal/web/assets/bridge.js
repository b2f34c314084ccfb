// Progressive enhancement only: every page works without this file.
// On the search page, changing a facet marks the "Apply filters" button, so that it is clear the
// change takes effect when applied (results do not change under the user's hands: WCAG 3.2.2).
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var apply = document.getElementById('apply-filters');
  var applyEnd = document.getElementById('apply-filters-end');
  if (!form || !apply) { return; }
  form.addEventListener('change', function (e) {
    if (e.target && (e.target.type === 'checkbox' || e.target.type === 'radio')) {
      apply.classList.add('pending');
      if (applyEnd) { applyEnd.classList.add('pending'); }
    }
  });
})();

// On the profile forms (/me), the municipality and organisation fields suggest names as one types
// (a native datalist, filled from /me/municipalities for the chosen country, or from
// /me/organisations). Without this script the typed name is matched when the form is sent, and
// several matches are offered to choose from.
(function () {
  'use strict';
  if (!window.fetch || !window.URLSearchParams) { return; }
  function suggest(input, path, params) {
    if (!input) { return; }
    var list = document.createElement('datalist');
    list.id = input.id + '-suggestions';
    input.parentNode.appendChild(list);
    input.setAttribute('list', list.id);
    var timer = null;
    var last = '';
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        var p = params();
        if (q.length < 2 || !p) { return; }
        p.q = q;
        var query = new URLSearchParams(p).toString();
        if (query === last) { return; }
        last = query;
        fetch(path + '?' + query, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            list.textContent = '';
            names.forEach(function (n) {
              var o = document.createElement('option');
              o.value = n;
              list.appendChild(o);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  }
  var country = document.getElementById('country');
  if (country) {
    suggest(document.getElementById('municipality'), '/me/municipalities', function () {
      return country.value ? { country: country.value } : null;
    });
  }
  suggest(document.getElementById('organisation'), '/me/organisations', function () { return {}; });
})();

// The import's forms (/desk/import) show a progress element while the file is sent and checked
// or applied: a large file takes a while, and the page would otherwise look still. Without this
// script the browser's own loading indicator is all, and the page just waits.
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-progress]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function () {
      var p = document.getElementById(form.getAttribute('data-progress'));
      if (p) { p.hidden = false; }
      var button = form.querySelector('button[type=submit]');
      if (button) { button.setAttribute('aria-disabled', 'true'); }
    });
  });
})();
