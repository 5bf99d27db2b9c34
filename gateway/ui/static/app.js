// Enlace gateway: progressive enhancement only. Every page works without this script;
// with it, pages update live (server-sent events) and forms check fields as you type.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var live = document.getElementById('live');

  function notice(text, href) {
    if (!live) return;
    var div = document.createElement('div');
    div.className = 'notice';
    div.textContent = text;
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = live.getAttribute('data-open-label') || 'Open';
      div.appendChild(a);
    }
    live.appendChild(div);
    setTimeout(function () {
      div.remove();
    }, 12000);
  }

  // Whether a part of the page holds a field that has focus or differs from what the page came with.
  function editing(el) {
    if (el.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) return true;
    var fields = el.querySelectorAll('input, textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === 'hidden' || f.type === 'submit') continue;
      if (f.type === 'checkbox' || f.type === 'radio') {
        if (f.checked !== f.defaultChecked) return true;
        continue;
      }
      if (f.tagName === 'SELECT') {
        for (var j = 0; j < f.options.length; j++) if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        continue;
      }
      if (f.value !== f.defaultValue) return true;
    }
    return false;
  }

  // Replaces the parts of this page marked data-live-part with the same parts of a fresh copy.
  // An event during a fetch may postdate the copy being fetched: one more fetch follows it.
  var refreshing = null;
  var again = false;
  function refreshParts() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    again = false;
    refreshing = fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var kept = false;
        document.querySelectorAll('[data-live-part]').forEach(function (el) {
          var fresh = doc.querySelector('[data-live-part="' + el.getAttribute('data-live-part') + '"]');
          if (!fresh || fresh.outerHTML === el.outerHTML) return;
          // A part holding what a person is typing is never replaced: they are told instead.
          if (editing(el)) {
            kept = true;
            el.setAttribute('data-live-stale', '1');
            return;
          }
          el.replaceWith(document.importNode(fresh, true));
        });
        if (kept && live) notice(live.getAttribute('data-kept-label') || '', location.pathname + location.search);
      })
      .catch(function () {})
      .then(function () {
        refreshing = null;
        if (again) return refreshParts();
      });
    return refreshing;
  }

  function startLive() {
    if (!document.body.hasAttribute('data-live') || !window.EventSource) return;
    var es = new EventSource('/events');
    es.addEventListener('request', function (m) {
      var e = JSON.parse(m.data);
      var timeline = document.querySelector('[data-live-part="timeline"]');
      var table = document.querySelector('[data-live-part="table"]');
      var box = table && table.getAttribute('data-box');
      var board = document.querySelector('[data-live-part="board"]');
      if (board) refreshParts();
      if (timeline && timeline.getAttribute('data-request') === e.id) {
        refreshParts();
      } else if (table && ((box === 'inbox' && e.direction === 'inbound') || (box === 'outbox' && e.direction === 'outbound'))) {
        refreshParts().then(function () {
          var row = document.querySelector('tr[data-id="' + e.id + '"]');
          if (row) row.classList.add('flash-row');
        });
      }
      if (e.type === 'received' || !timeline || timeline.getAttribute('data-request') !== e.id) {
        notice(e.text, '/requests/' + e.id);
      }
      document.body.setAttribute('data-last-event', e.type + ':' + e.id);
    });
    es.addEventListener('notification', function (m) {
      var n = JSON.parse(m.data);
      var bell = document.querySelector('[data-bell]');
      var count = bell && bell.querySelector('[data-count]');
      if (!bell || !count) return;
      count.textContent = String(n.unread);
      count.hidden = !n.unread;
      bell.setAttribute('aria-label', bell.getAttribute('data-label').replace('{count}', String(n.unread)));
      document.body.setAttribute('data-last-notification', n.kind);
    });
    // What changed between the page's rendering and the stream's start (or a reconnection) came
    // as no event: the live parts are fetched once more, then the page says it is live.
    es.addEventListener('ready', function () {
      var parts = document.querySelector('[data-live-part]');
      (parts ? refreshParts() : Promise.resolve()).then(function () {
        document.body.setAttribute('data-live-ready', '1');
      });
    });
    es.addEventListener('problem', function (m) {
      notice(JSON.parse(m.data).text);
    });
    es.addEventListener('ended', function (m) {
      es.close();
      notice(JSON.parse(m.data).text);
      document.body.setAttribute('data-session-ended', '1');
    });
  }

  // As-you-type validation: the server checks with the same rules as on send and answers in the user's language.
  function startChecks() {
    var form = document.querySelector('form[data-check]');
    if (!form) return;
    var touched = {};
    var timer = null;
    function show(problems) {
      form.querySelectorAll('[data-error-for]').forEach(function (p) {
        var name = p.getAttribute('data-error-for');
        if (!touched[name]) return;
        var msg = problems[name];
        var field = p.closest('.field');
        var input = form.querySelector('[name="' + name + '"]');
        p.textContent = msg || '';
        p.hidden = !msg;
        if (field) field.classList.toggle('invalid', !!msg);
        if (input && input.setAttribute) {
          if (msg) input.setAttribute('aria-invalid', 'true');
          else input.removeAttribute('aria-invalid');
        }
      });
    }
    function check() {
      var body = new URLSearchParams(new FormData(form));
      fetch(form.getAttribute('data-check'), { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: body })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (res) {
          if (res) show(res.problems || {});
        })
        .catch(function () {});
    }
    function schedule(ev) {
      if (ev.target && ev.target.name) touched[ev.target.name] = true;
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    }
    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.addEventListener('focusout', schedule);

    // Another request type has another form: it is fetched and put in place below the
    // choice, without reloading the page or moving the focus (WCAG 3.2.2: a choice made with
    // the arrow keys changes no context). What was typed goes along and is kept.
    var rerender = form.querySelector('[data-rerender]');
    var typedPart = form.querySelector('[data-typed-part]');
    var rerenderTimer = null;
    if (rerender && typedPart && window.DOMParser) {
      rerender.addEventListener('change', function () {
        clearTimeout(rerenderTimer);
        rerenderTimer = setTimeout(function () {
          if (!rerender.value) return;
          var body = new URLSearchParams(new FormData(form));
          body.set('step', 'form');
          fetch(form.getAttribute('action'), { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: body })
            .then(function (r) {
              return r.ok ? r.text() : null;
            })
            .then(function (html) {
              if (!html) return;
              var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-typed-part]');
              if (fresh) typedPart.innerHTML = fresh.innerHTML;
              form.setAttribute('data-typed-kind', rerender.value);
            })
            .catch(function () {});
        }, 400);
      });
    }

    var resolveUrl = form.getAttribute('data-resolve');
    var kind = form.querySelector('[name="kind"]');
    var country = form.querySelector('[name="toCountry"]');
    var authority = form.querySelector('select[name="toAuthority"]');
    function resolveAuthority() {
      if (!resolveUrl || !kind || !country || !authority || !kind.value || !country.value) return;
      fetch(resolveUrl + '?country=' + encodeURIComponent(country.value) + '&kind=' + encodeURIComponent(kind.value), { credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (res) {
          if (!res) return;
          var keep = authority.value;
          while (authority.options.length > 1) authority.remove(1);
          res.candidates.forEach(function (c) {
            var o = document.createElement('option');
            o.value = c.id;
            o.textContent = c.label;
            authority.appendChild(o);
          });
          authority.value = keep;
          if (authority.value !== keep) authority.value = '';
        })
        .catch(function () {});
    }
    if (kind) kind.addEventListener('change', resolveAuthority);
    if (country) country.addEventListener('change', resolveAuthority);
    resolveAuthority();
  }

  // Drafts: what is typed in the compose form is saved on the server as one types (sealed,
  // read by its author only), so a reload, a closed tab or an ended session loses nothing.
  function startDrafts() {
    var form = document.querySelector('form[data-autosave]');
    if (!form) return;
    var status = form.querySelector('[data-draft-status]');
    var idField = form.querySelector('input[name="draft"]');
    var timer = null;
    var saving = false;
    var again = false;
    function say(attr, time) {
      if (!status) return;
      status.textContent = (status.getAttribute(attr) || '').replace('{time}', time || '');
      status.setAttribute('data-state', attr);
    }
    function save() {
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      var body = new URLSearchParams(new FormData(form));
      body.delete('_csrf');
      fetch(form.getAttribute('data-autosave'), { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: body })
        .then(function (r) {
          if (r.status === 401) {
            say('data-signed-out');
            // The way back: sign in, then this draft as it was last saved.
            var back = status && status.getAttribute('data-login');
            if (back) {
              var a = document.createElement('a');
              a.href = back;
              a.setAttribute('data-sign-in-again', '');
              a.textContent = status.getAttribute('data-sign-in') || back;
              status.appendChild(document.createTextNode(' '));
              status.appendChild(a);
            }
            return null;
          }
          return r.ok ? r.json() : null;
        })
        .then(function (res) {
          if (!res) return;
          if (idField) idField.value = res.id;
          // A reload (or a bookmark) of this page comes back to the draft.
          if (window.history && history.replaceState && !/[?&]draft=/.test(location.search)) history.replaceState(null, '', '/compose?draft=' + encodeURIComponent(res.id));
          if (status) status.setAttribute('data-login', '/login?next=' + encodeURIComponent('/compose?draft=' + res.id));
          say('data-saved', new Date(res.savedAt).toLocaleTimeString(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' }));
        })
        .catch(function () {
          say('data-failed');
        })
        .then(function () {
          saving = false;
          if (again) {
            again = false;
            save();
          }
        });
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    }
    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
  }

  // A chosen CSV file is read into the import text area (the form posts text, never a file).
  function startFileToText() {
    document.querySelectorAll('input[type="file"][data-into]').forEach(function (input) {
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        var target = document.getElementById(input.getAttribute('data-into'));
        if (!file || !target) return;
        file.text().then(function (text) {
          target.value = text;
        });
      });
    });
  }

  // Documents of the review form: a list that can be reordered and trimmed with buttons (not
  // drag only), each file checked with the node's rules before anything is sent, and the send
  // as one XMLHttpRequest whose upload progress is shown. Without this, the plain input works.
  function startDocuments() {
    var box = document.querySelector('[data-documents]');
    var form = box && box.closest('form');
    if (!box || !form || !window.FormData || !window.XMLHttpRequest) return;
    var rules = JSON.parse(box.getAttribute('data-rules'));
    var msg = JSON.parse(box.getAttribute('data-messages'));
    var input = box.querySelector('input[type="file"]');
    var list = box.querySelector('[data-documents-list]');
    var heading = box.querySelector('[data-documents-heading]');
    var problemsBox = box.querySelector('[data-documents-problems]');
    var zone = box.querySelector('[data-dropzone]');
    var upload = box.querySelector('[data-upload]');
    var files = [];
    var lang = document.documentElement.lang || undefined;
    function fill(t, p) {
      return t.replace(/\{(\w+)\}/g, function (m, k) {
        return p[k] !== undefined ? String(p[k]) : m;
      });
    }
    function size(n) {
      var mb = n >= 1048576;
      return new Intl.NumberFormat(lang, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(mb ? n / 1048576 : Math.max(1, Math.ceil(n / 1024)));
    }
    function head(file) {
      return file
        .slice(0, 16)
        .arrayBuffer()
        .then(function (b) {
          return new Uint8Array(b);
        });
    }
    function typeOf(bytes) {
      for (var t in rules.types) {
        var m = rules.types[t].magic;
        if (
          bytes.length >= m.length &&
          m.every(function (b, i) {
            return bytes[i] === b;
          })
        )
          return t;
      }
      return '';
    }
    // services/attachments/rules.ts fileNameProblem: no path, no control or bidirectional characters, no edge spaces.
    function badName(n) {
      if (n.length > 255 || n === '.' || n === '..' || n.trim() !== n || /[/\\\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(n)) return true;
      for (var i = 0; i < n.length; i++) {
        var c = n.charCodeAt(i);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
      }
      return false;
    }
    // Every problem of every file at once, with the same rules and words as the server.
    function check() {
      return Promise.all(files.map(head)).then(function (heads) {
        var out = [];
        files.forEach(function (f, i) {
          var p = { name: f.name };
          if (f.size === 0) return out.push(fill(msg.empty, p));
          var t = typeOf(heads[i]);
          if (!t) return out.push(fill(msg.type, p));
          if (badName(f.name)) return out.push(fill(msg.name, p));
          var ext = (/\.([^.]+)$/.exec(f.name) || [])[1];
          if (!ext || rules.types[t].ext.indexOf(ext.toLowerCase()) < 0)
            out.push(
              fill(msg.extension, {
                name: f.name,
                ext: rules.types[t].ext
                  .map(function (e) {
                    return '.' + e;
                  })
                  .join(' / '),
                type: rules.types[t].label,
              }),
            );
        });
        if (files.length > rules.maxCount) out.push(fill(msg.count, { max: rules.maxCount, count: files.length }));
        var total = files.reduce(function (n, f) {
          return n + f.size;
        }, 0);
        if (total > rules.maxBytes) out.push(fill(msg.total, { size: size(total), max: size(rules.maxBytes) }));
        return out;
      });
    }
    function showProblems(out, focus) {
      var ul = problemsBox.querySelector('ul');
      ul.textContent = '';
      out.forEach(function (t) {
        var li = document.createElement('li');
        li.textContent = t;
        ul.appendChild(li);
      });
      problemsBox.hidden = out.length === 0;
      if (out.length) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      if (out.length && focus) problemsBox.focus();
    }
    function button(text, id, onClick) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.setAttribute('aria-describedby', id);
      b.addEventListener('click', onClick);
      return b;
    }
    function render(focusIndex, focusWhat) {
      list.textContent = '';
      files.forEach(function (f, i) {
        var li = document.createElement('li');
        var id = 'doc-' + i;
        var name = document.createElement('span');
        name.id = id;
        name.className = 'doc-name';
        name.textContent = f.name;
        var meta = document.createElement('span');
        meta.className = 'muted small';
        meta.textContent = ' ' + (rules.types[f.type] ? rules.types[f.type].label + ' · ' : '') + size(f.size);
        li.appendChild(name);
        li.appendChild(meta);
        var up = button(msg.up, id, function () {
          move(i, -1);
        });
        var down = button(msg.down, id, function () {
          move(i, 1);
        });
        up.disabled = i === 0;
        down.disabled = i === files.length - 1;
        up.setAttribute('data-doc-up', '');
        down.setAttribute('data-doc-down', '');
        var rm = button(msg.remove, id, function () {
          files.splice(i, 1);
          render(Math.min(i, files.length - 1), 'remove');
          check().then(function (out) {
            showProblems(out, false);
          });
        });
        rm.setAttribute('data-doc-remove', '');
        var actions = document.createElement('span');
        actions.className = 'doc-actions';
        actions.appendChild(up);
        actions.appendChild(down);
        actions.appendChild(rm);
        li.appendChild(actions);
        list.appendChild(li);
      });
      list.hidden = heading.hidden = files.length === 0;
      // The focus stays on the moved document's control, or goes to the next one, or to the input.
      // A document moved to the top or the bottom keeps the focus on its other move button.
      var item = focusIndex >= 0 && list.children[focusIndex];
      var target = item && (item.querySelector('[data-doc-' + focusWhat + ']:not([disabled])') || item.querySelector('[data-doc-up]:not([disabled]), [data-doc-down]:not([disabled])'));
      if (target) target.focus();
      else if (focusWhat) input.focus();
    }
    function move(i, by) {
      var j = i + by;
      if (j < 0 || j >= files.length) return;
      var f = files[i];
      files[i] = files[j];
      files[j] = f;
      render(j, by < 0 ? 'up' : 'down');
    }
    function add(list) {
      for (var i = 0; i < list.length; i++) files.push(list[i]);
      input.value = '';
      render(-1);
      check().then(function (out) {
        showProblems(out, true);
      });
    }
    input.addEventListener('change', function () {
      if (input.files && input.files.length) add(input.files);
    });
    box.querySelector('[data-drop-hint]').hidden = false;
    zone.addEventListener('dragover', function (e) {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', function () {
      zone.classList.remove('over');
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) add(e.dataTransfer.files);
    });
    form.addEventListener('submit', function (e) {
      var submitter = e.submitter;
      if (!submitter || submitter.value !== 'send') return;
      e.preventDefault();
      check().then(function (out) {
        showProblems(out, true);
        if (out.length) return;
        var body = new FormData(form);
        body.delete('documents');
        body.set('step', 'send');
        files.forEach(function (f) {
          body.append('documents', f, f.name);
        });
        var bar = upload.querySelector('progress');
        var label = upload.querySelector('[data-upload-label]');
        upload.hidden = false;
        submitter.disabled = true;
        var xhr = new XMLHttpRequest();
        xhr.upload.addEventListener('progress', function (ev) {
          if (!ev.lengthComputable) return;
          var pct = Math.round((ev.loaded / ev.total) * 100);
          bar.value = pct;
          label.textContent = fill(msg.sending, { percent: pct });
        });
        xhr.addEventListener('load', function () {
          // A sent request ends on its page; anything else (the server's own refusals) replaces this page.
          if (xhr.status === 200 && /^\/(requests\/|sent$)/.test(new URL(xhr.responseURL).pathname)) return location.assign(xhr.responseURL);
          document.open();
          document.write(xhr.responseText);
          document.close();
        });
        xhr.addEventListener('error', function () {
          upload.hidden = true;
          submitter.disabled = false;
          showProblems([msg.failed], true);
        });
        xhr.open('POST', form.getAttribute('action'));
        xhr.setRequestHeader('x-csrf-token', csrf);
        xhr.send(body);
      });
    });
  }

  // The focus goes to the result of what was just done: the error summary of a refused form,
  // the documents the server refused, else the page's message (a request sent, a step taken), else
  // the heading of the step just reached, so keyboard and screen-reader users land on it.
  var result =
    document.querySelector('.error-summary') || document.querySelector('[data-documents-problems]:not([hidden])') || document.querySelector('[data-flash]') || document.querySelector('[data-focus]');
  if (result) result.focus();

  startLive();
  startChecks();
  startDrafts();
  startFileToText();
  startDocuments();
})();
