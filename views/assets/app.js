// Live regions: an element with data-poll="<url>" and data-poll-active="true" is refreshed from
// <url> every few seconds (the server answers with the region's inner HTML and tells in the
// X-Poll-Active header whether anything is still active); polling stops as soon as nothing is.
(function () {
  'use strict';
  var INTERVAL_MS = 3000;

  function schedule(region) {
    if (region.getAttribute('data-poll-active') !== 'true') return;
    var every = Number(region.getAttribute('data-poll-interval')) || INTERVAL_MS;
    window.setTimeout(function () { refresh(region); }, every);
  }

  function refresh(region) {
    var url = region.getAttribute('data-poll');
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html', 'X-Requested-With': 'fetch' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        var active = response.headers.get('X-Poll-Active') === 'true';
        return response.text().then(function (html) {
          region.innerHTML = html;
          region.setAttribute('data-poll-active', active ? 'true' : 'false');
          region.setAttribute('data-polled-at', new Date().toISOString());
        });
      })
      .catch(function () {
        // A failed refresh keeps the last truth on screen and tries again later.
        region.setAttribute('data-poll-error', 'true');
      })
      .then(function () { schedule(region); });
  }

  // Escape closes an open workspace switcher (a <details> menu) and gives focus back to its summary.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var open = document.querySelectorAll('.workspace-switcher details[open]');
    for (var i = 0; i < open.length; i++) {
      var hadFocus = open[i].contains(document.activeElement);
      open[i].removeAttribute('open');
      if (hadFocus) open[i].querySelector('summary').focus();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    var regions = document.querySelectorAll('[data-poll]');
    for (var i = 0; i < regions.length; i++) schedule(regions[i]);
  });
})();
