// Field capture without signal (see core/offline.py for the server's side).
//
// Every page registers the service worker (static/js/sw.js), which keeps the producer pages for offline use.
// On a signed-in producer's forms marked data-offline (harvest, step, split), a submission is first stored
// in IndexedDB with an id made on the phone, then sent to the form's own URL with that id as its
// Idempotency-Key and a CSRF token fetched at sync time; it stays "waiting to send" until the server has
// answered. A refusal (not enough left, say) stays on the queued item with its message, to fix or discard:
// nothing typed is lost. Event times are the phone's, taken when the farmer tapped "save".
(function () {
  "use strict";
  var me = document.body.getAttribute("data-user");
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
    // The pages the phone keeps are one person's: whoever reads now (nobody, once signed out) owns them.
    navigator.serviceWorker.ready.then(function (reg) { if (reg.active) reg.active.postMessage({owner: me || ""}); });
  }
  var textsNode = document.getElementById("offline-texts");
  if (!me || !textsNode || !("indexedDB" in window)) return;
  var T = JSON.parse(textsNode.textContent);
  var panel = document.getElementById("offline-queue");
  var syncing = false, sending = {};  // the ids being sent now, by the queue or by the form

  // --- IndexedDB: one store of queued submissions, keyed by their id ---
  function store(mode) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("nongsan-offline", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("queue", {keyPath: "id"}); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () { resolve(open.result.transaction("queue", mode).objectStore("queue")); };
    });
  }
  function request(mode, call) {
    return store(mode).then(function (queue) {
      return new Promise(function (resolve, reject) {
        var r = call(queue);
        r.onsuccess = function () { resolve(r.result); };
        r.onerror = function () { reject(r.error); };
      });
    });
  }
  var put = function (item) { return request("readwrite", function (q) { return q.put(item); }); };
  var drop = function (id) { return request("readwrite", function (q) { return q.delete(id); }); };
  var get = function (id) { return request("readonly", function (q) { return q.get(id); }); };
  function mine() {
    return request("readonly", function (q) { return q.getAll(); }).then(function (items) {
      return items.filter(function (i) { return i.user === me; }).sort(function (a, b) { return a.queuedAt - b.queuedAt; });
    });
  }

  // --- A submission as data: fields, files, the phone's time ---
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function phoneTime(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "T" + two(d.getHours()) + ":" +
      two(d.getMinutes()) + ":" + two(d.getSeconds()) + sign + two(Math.floor(off / 60)) + ":" + two(off % 60);
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function fromForm(form) {
    var fields = [], files = [], now = new Date();
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token") return;  // a fresh one is fetched when it is sent
      if (typeof value === "string") fields.push([name, value]);
      else if (value.size > 0) files.push({name: name, filename: value.name || "photo.jpg", blob: value});
    });
    if (form.hasAttribute("data-event-time")) {
      // A correction keeps the time the farmer first tapped "save"; otherwise it is now, on the phone's clock.
      var kept = form.getAttribute("data-kept-time");
      fields = fields.filter(function (f) { return f[0] !== "event_time" || f[1]; });
      if (!fields.some(function (f) { return f[0] === "event_time"; })) fields.push(["event_time", kept || phoneTime(now)]);
    }
    return {
      id: newId(), user: me, action: form.getAttribute("action") || location.pathname, page: location.pathname,
      label: form.getAttribute("data-offline"), fields: fields, files: files, queuedAt: now.getTime(),
      state: "waiting", message: "", errors: {}
    };
  }
  // The same bytes at every try (a boundary made from the id): the server tells a retry from a new request.
  function body(item) {
    var b = "nongsan-" + item.id.replace(/[^A-Za-z0-9]/g, ""), parts = [];
    var quote = function (s) { return String(s).replace(/"/g, "%22").replace(/\r?\n|\r/g, " "); };
    item.fields.forEach(function (f) {
      parts.push("--" + b + "\r\nContent-Disposition: form-data; name=\"" + quote(f[0]) + "\"\r\n\r\n" + f[1] + "\r\n");
    });
    item.files.forEach(function (f) {
      parts.push("--" + b + "\r\nContent-Disposition: form-data; name=\"" + quote(f.name) + "\"; filename=\"" +
        quote(f.filename) + "\"\r\nContent-Type: " + (f.blob.type || "application/octet-stream") + "\r\n\r\n", f.blob, "\r\n");
    });
    parts.push("--" + b + "--\r\n");
    return {blob: new Blob(parts), type: "multipart/form-data; boundary=" + b};
  }

  // --- Sending ---
  function session() {
    return fetch("/offline/session", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) return {signedOut: true};
      if (!r.ok) throw new Error("session " + r.status);
      return r.json();
    });
  }
  // "sent" (with the answer), "refused" (the server said no: keep it with its message) or "later" (no answer).
  function send(item, token) {
    var payload = body(item), abort = window.AbortController ? new AbortController() : null;
    var timer = abort && setTimeout(function () { abort.abort(); }, 60000);  // a weak signal may never answer
    sending[item.id] = true;
    return fetch(item.action, {
      method: "POST", credentials: "same-origin", redirect: "manual", body: payload.blob, signal: abort && abort.signal,
      headers: {"Idempotency-Key": item.id, "X-CSRFToken": token, "X-Queued-For": item.user, "Accept": "application/json",
        "Content-Type": payload.type}
    }).then(function (r) {
      if (r.status === 201 || r.status === 200) {
        return r.json().catch(function () { return {url: item.page}; }).then(function (j) { return {outcome: "sent", answer: j}; });
      }
      if (r.type === "opaqueredirect" || r.status === 401) return {outcome: "later", signedOut: true};
      if (r.status === 409 && r.headers.get("Retry-After")) return {outcome: "later"};  // the first try still runs
      if (r.status === 403 && r.headers.get("X-Queued-For-Other")) return {outcome: "later", signedOut: true};
      if (r.status >= 400 && r.status < 500) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          // Recorded by an earlier send whose answer was lost: it is in, so it must not be shown as refused.
          if (j.code === "idempotency_answer_lost") return {outcome: "sent", answer: {url: item.page}};
          return {outcome: "refused", message: j.detail || T.refused, errors: j.errors || {}};
        });
      }
      return {outcome: "later"};
    }, function () { return {outcome: "later"}; }).then(function (result) {
      if (timer) clearTimeout(timer);
      delete sending[item.id];
      return result;
    });
  }
  function syncAll() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return mine().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting" && !sending[i.id]; });
      if (!waiting.length) return;
      return session().then(function (s) {
        if (s.signedOut || String(s.user) !== me) { say(T.sign_in_again); return; }  // only ever for who queued it
        return waiting.reduce(function (chain, item) {
          return chain.then(function (stop) {
            if (stop) return true;
            return send(item, s.csrf_token).then(function (result) {
              if (result.outcome === "sent") { say(T.sent.replace("__L__", item.label)); return drop(item.id).then(function () { return false; }); }
              if (result.outcome === "refused") {
                return get(item.id).then(function (still) {
                  if (!still) return false;  // discarded or corrected meanwhile: nothing to bring back
                  item.state = "refused"; item.message = result.message; item.errors = result.errors;
                  return put(item).then(function () { return false; });
                });
              }
              if (result.signedOut) say(T.sign_in_again);
              return true;  // no answer: try the rest later, in order
            });
          });
        }, Promise.resolve(false));
      });
    }).catch(function () {}).then(function () { syncing = false; return render(); });
  }

  // --- What the farmer sees ---
  function say(text) {
    var note = document.getElementById("offline-note");
    if (note) note.textContent = text;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function itemNode(item) {
    var li = el("li", {"class": "queued queued-" + item.state, "data-id": item.id});
    li.appendChild(el("strong", {}, item.label));
    li.appendChild(el("span", {"class": "hint"}, " · " + T.queued_at.replace("__T__", new Date(item.queuedAt).toLocaleString(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB"))));
    li.appendChild(el("p", {"class": item.state === "refused" ? "field-errors" : "hint"}, item.state === "refused" ? item.message : T.waiting));
    Object.keys(item.errors || {}).forEach(function (f) {
      item.errors[f].forEach(function (m) { if (m !== item.message) li.appendChild(el("p", {"class": "field-errors"}, m)); });
    });
    if (item.state === "refused") {
      li.appendChild(el("a", {"class": "button button-secondary", href: item.page + "#queued=" + item.id}, T.edit));
      var discard = el("button", {type: "button", "class": "button button-danger"}, T.discard);
      discard.addEventListener("click", function () { if (confirm(T.discard_confirm)) drop(item.id).then(render); });
      li.appendChild(discard);
    }
    return li;
  }
  function render() {
    if (!panel) return Promise.resolve();
    return mine().then(function (items) {
      var list = panel.querySelector("ul");
      list.textContent = "";
      items.forEach(function (item) { list.appendChild(itemNode(item)); });
      panel.hidden = items.length === 0;
      document.getElementById("offline-banner").hidden = navigator.onLine;
    });
  }

  // --- The forms ---
  function fill(form, item) {
    var seen = {};
    item.fields.forEach(function (f) {
      if (f[0] === "event_time") { form.setAttribute("data-kept-time", f[1]); return; }
      var nodes = form.querySelectorAll("[name=\"" + f[0] + "\"]"), i = seen[f[0]] = (seen[f[0]] || 0);
      if (!nodes.length) return;
      if (nodes[0].type === "checkbox" || nodes[0].type === "radio") {
        nodes.forEach(function (n) { if (n.value === f[1]) n.checked = true; });
      } else if (nodes[i]) { nodes[i].value = f[1]; seen[f[0]] = i + 1; }
    });
    item.files.forEach(function (f) {
      var input = form.querySelector("input[type=file][name=\"" + f.name + "\"]");
      if (!input || !window.DataTransfer) return;
      var dt = new DataTransfer();
      dt.items.add(new File([f.blob], f.filename, {type: f.blob.type}));
      input.files = dt.files;
    });
    form.setAttribute("data-replaces", item.id);
    var note = document.getElementById("queued-refusal") || el("p", {id: "queued-refusal", "class": "flash flash-error", role: "alert"});
    note.textContent = item.message;
    form.parentNode.insertBefore(note, form);
  }
  function queueForm(form) {
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("formnovalidate")) return;  // e.g. "show communes"
      event.preventDefault();
      var item = fromForm(form), replaces = form.getAttribute("data-replaces");
      var nativeSubmit = function (token) {
        var field = form.querySelector("input[name=csrf_token]");
        if (field && token) field.value = token;  // the page may have been kept from an earlier session
        HTMLFormElement.prototype.submit.call(form);
      };
      put(item).then(function () { return replaces ? drop(replaces) : null; }).then(function () {
        if (!navigator.onLine) return queued(form);
        return session().then(function (s) {
          if (s.signedOut || String(s.user) !== me) return queued(form);
          return send(item, s.csrf_token).then(function (result) {
            if (result.outcome === "sent") return drop(item.id).then(function () { location.assign(result.answer.url); });
            if (result.outcome === "refused") {
              // Online and refused: the page shows its messages as it would without JavaScript.
              return drop(item.id).then(function () { nativeSubmit(s.csrf_token); });
            }
            return queued(form);
          });
        }, function () { return queued(form); });
      }, function () { nativeSubmit(null); });  // the phone could not store it (storage full): send it as a page would
    });
    var correct = function () {
      var match = /#queued=([\w-]+)/.exec(location.hash);
      if (match) get(match[1]).then(function (item) { if (item && item.user === me) fill(form, item); });
    };
    correct();
    window.addEventListener("hashchange", correct);  // "Correct" on the form's own page only changes the hash
  }
  function queued(form) {
    form.reset();
    form.removeAttribute("data-replaces");
    form.removeAttribute("data-kept-time");
    say(T.saved_offline);
    window.scrollTo(0, 0);
    return render();
  }

  // Keep the lots' pages and their step and split forms ready for offline use.
  function warm() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    if (document.body.getAttribute("data-audience") !== "producer") return;
    var urls = ["/start", "/batches", "/plots", "/batches/new"];  // a producer's own pages, kept once signed in
    document.querySelectorAll("main a[href^='/batches/']").forEach(function (a) {
      var path = a.getAttribute("href");
      if (/^\/batches\/[A-Z0-9]+$/.test(path)) urls.push(path, path + "/steps/new", path + "/split");
      else if (/^\/batches\/[A-Z0-9]+\/(steps\/new|split)$/.test(path)) urls.push(path);  // on a lot's own page
    });
    if (urls.length) navigator.serviceWorker.controller.postMessage({warm: urls.slice(0, 60)});
  }

  // A form kept on the phone for days still proposes today, the phone's, and allows it.
  document.querySelectorAll("form[data-offline] input[type=date][data-today]").forEach(function (input) {
    var today = phoneTime(new Date()).slice(0, 10);
    if (input.value === input.getAttribute("data-today")) input.value = today;
    if (input.max && input.max < today) input.max = today;
  });
  document.querySelectorAll("form[data-offline]").forEach(queueForm);
  document.querySelectorAll("form[action='/sign-out']").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({owner: ""});  // the kept pages were this person's
      }
    });
  });
  window.addEventListener("online", syncAll);
  window.addEventListener("offline", render);
  setInterval(function () { syncAll(); }, 20000);
  render().then(syncAll);
  if (navigator.serviceWorker) navigator.serviceWorker.ready.then(warm);
})();
