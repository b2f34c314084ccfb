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

// On the profile forms (/me), the municipality field suggests the names of municipalities in the
// chosen country as one types (a native datalist, filled from /me/municipalities). Without this
// script the typed name is matched when the form is sent.
(function () {
  'use strict';
  var input = document.getElementById('municipality');
  var country = document.getElementById('country');
  if (!input || !country || !window.fetch || !window.URLSearchParams) { return; }
  var list = document.createElement('datalist');
  list.id = 'municipality-suggestions';
  input.parentNode.appendChild(list);
  input.setAttribute('list', list.id);
  var timer = null;
  var last = '';
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var c = country.value;
      if (q.length < 2 || !c || q + '|' + c === last) { return; }
      last = q + '|' + c;
      fetch('/me/municipalities?' + new URLSearchParams({ country: c, q: q }).toString(),
        { credentials: 'same-origin', headers: { Accept: 'application/json' } })
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
})();
