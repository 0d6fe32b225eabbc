/**
 * The console's only script, served from /admin/assets/console.js so the CSP
 * can forbid inline script. It copies, switches tabs, opens confirmation
 * dialogs where the browser lacks invoker commands, adds scope rows and shows
 * the part of the wizard that applies. Every page works without it except
 * copying and the dialogs on old browsers.
 */
export const CONSOLE_JS = `'use strict';
(function () {
  var status = document.getElementById('copy-status');

  function announce(text) {
    if (!status) return;
    status.textContent = '';
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function textOf(element) {
    return 'value' in element && element.tagName !== 'BUTTON' ? element.value : element.textContent;
  }

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand('copy'); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var text = textOf(target);
    var label = button.textContent;
    function copied(ok) {
      button.textContent = ok ? 'Copied' : 'Copy failed';
      announce(ok ? 'Copied to the clipboard.' : 'Could not copy; select the text and copy it by hand.');
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(true); }, function () { copied(fallbackCopy(text)); });
    } else {
      copied(fallbackCopy(text));
    }
  });

  // Dialogs: native invoker commands where supported, these handlers elsewhere.
  if (!('command' in HTMLButtonElement.prototype)) {
    document.addEventListener('click', function (event) {
      var opener = event.target.closest('[data-open-dialog]');
      if (opener) {
        var dialog = document.getElementById(opener.getAttribute('data-open-dialog'));
        if (dialog && dialog.showModal) dialog.showModal();
        return;
      }
      var closer = event.target.closest('[data-close-dialog]');
      if (closer) {
        var open = document.getElementById(closer.getAttribute('data-close-dialog'));
        if (open) open.close();
      }
    });
  }

  // Tabs (WAI-ARIA tabs pattern): all panels are visible without script.
  Array.prototype.forEach.call(document.querySelectorAll('[data-tabs]'), function (container) {
    var tabs = Array.prototype.slice.call(container.querySelectorAll('[role=tab]'));
    function select(tab, focus) {
      tabs.forEach(function (other) {
        var selected = other === tab;
        other.setAttribute('aria-selected', selected ? 'true' : 'false');
        other.tabIndex = selected ? 0 : -1;
        var panel = document.getElementById(other.getAttribute('aria-controls'));
        if (panel) panel.hidden = !selected;
      });
      if (focus) tab.focus();
    }
    tabs.forEach(function (tab, index) {
      tab.addEventListener('click', function () { select(tab, false); });
      tab.addEventListener('keydown', function (event) {
        var next = null;
        if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
        if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
        if (event.key === 'Home') next = tabs[0];
        if (event.key === 'End') next = tabs[tabs.length - 1];
        if (next) { event.preventDefault(); select(next, true); }
      });
    });
    container.classList.add('tabs-ready');
    if (tabs.length) select(tabs[0], false);
  });

  // Scope rows: a new model rule or time window from its template.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-add-row]');
    if (!button) return;
    var kind = button.getAttribute('data-add-row');
    var template = document.getElementById(kind + '-row-template');
    var rows = document.getElementById(kind + '-rows');
    if (!template || !rows) return;
    var index = rows.querySelectorAll('[data-row]').length;
    if (index >= 20) return;
    var fragment = template.content.cloneNode(true);
    Array.prototype.forEach.call(fragment.querySelectorAll('[name],[id],[for],[aria-describedby]'), function (element) {
      ['name', 'id', 'for', 'aria-describedby'].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.split('__INDEX__').join(String(index)));
      });
    });
    rows.appendChild(fragment);
    var added = rows.querySelectorAll('[data-row]');
    var first = added[added.length - 1].querySelector('input');
    if (first) first.focus();
  });

  // Parts of a form that apply to one choice only: data-show-when="field=value" (all are shown without script).
  function sync() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-show-when]'), function (element) {
      var rule = element.getAttribute('data-show-when').split('=');
      var chosen = document.querySelector('input[name="' + rule[0] + '"]:checked');
      element.hidden = !!chosen && chosen.value !== rule[1];
    });
  }
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target.type === 'radio') sync();
    // Switching the scope between the form and raw JSON carries it over, both ways: the server converts it.
    if (target.name === 'scope_mode' && target.form && target.form.requestSubmit) {
      var convert = target.form.querySelector('button[name="intent"][value="' + (target.value === 'json' ? 'to_json' : 'to_form') + '"]');
      if (convert) target.form.requestSubmit(convert);
    }
  });
  sync();

  // After a failed submit, take the keyboard to the first field in error.
  var invalid = document.querySelector('[aria-invalid=true]');
  if (invalid && invalid.focus) invalid.focus();
})();
`;
