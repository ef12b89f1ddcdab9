// The Mini App form: renders the form schema sent by the server, sums a block live, sends
// Telegram's initData with every request. Small and dependency-free (no CDN, slow networks).
(function () {
  "use strict";
  var form = document.getElementById("lapor");
  var box = document.getElementById("fields");
  var message = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var confirmButton = document.getElementById("confirm");
  var text = form.dataset;
  var schema = null;
  var submissionId = null;
  var firstPosyandu = null;

  function initData() {
    var app = window.Telegram && window.Telegram.WebApp;
    if (app && app.initData) return app.initData;
    var hash = new URLSearchParams(location.hash.slice(1));
    return hash.get("tgWebAppData") || "";
  }

  function say(words, kind) {
    message.textContent = words;
    message.className = kind || "";
  }

  function post(path, body) {
    var headers = {"Content-Type": "application/json"};
    if (initData()) headers["X-Telegram-Init-Data"] = initData();
    else headers["X-CSRF-Token"] = text.csrf;
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    });
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (attributes[key] !== null && attributes[key] !== undefined) node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function input(field) {
    if (field.options.length) {
      var choices = [element("option", {value: ""}, ["—"])].concat(field.options.map(function (option) {
        return element("option", {value: option.value}, [option.label]);
      }));
      return element("select", {name: field.name, id: "f-" + field.name}, choices);
    }
    var numeric = field.kind === "count" || field.kind === "decimal";
    var type = numeric ? "number" : field.kind === "date" ? "date" : "text";
    return element("input", {
      name: field.name, id: "f-" + field.name, type: type,
      inputmode: numeric ? "numeric" : null, min: field.min, max: field.max,
      step: field.kind === "count" ? 1 : null
    });
  }

  function render(data) {
    schema = data.form;
    firstPosyandu = data.posyandu[0].value;
    var children = [];
    if (data.posyandu.length > 1) {
      var choices = data.posyandu.map(function (p) { return element("option", {value: p.value}, [p.label]); });
      children.push(element("p", {class: "top"}, [element("label", {}, [text.posyandu + " ",
        element("select", {name: "posyandu", id: "posyandu"}, choices)])]));
    } else {
      children.push(element("p", {class: "top"}, [text.posyandu + ": " + data.posyandu[0].label]));
    }
    children.push(element("p", {class: "note"}, [text.previous.replace("{month}", data.previous_month)]));
    schema.sections.forEach(function (section, index) {
      var rows = section.fields.map(function (field) {
        return element("div", {class: "field"}, [element("label", {for: "f-" + field.name}, [field.label]), input(field)]);
      });
      var details = element("details", index < 2 ? {open: ""} : {}, [element("summary", {}, [section.title])].concat(rows));
      children.push(details);
    });
    children.forEach(function (child) { box.appendChild(child); });
    schema.sums.forEach(function (sum) {
      var last = document.getElementById("f-" + sum.parts[sum.parts.length - 1]);
      var line = element("p", {class: "sum", id: "sum-" + sum.total}, []);
      last.parentNode.parentNode.insertBefore(line, last.parentNode.nextSibling);
    });
    var posyandu = document.getElementById("posyandu");
    fill(data.previous, data.posyandu[0].value);
    if (posyandu) posyandu.addEventListener("change", function () { fill(data.previous, posyandu.value); });
    form.addEventListener("input", sums);
    sums();
    sendButton.hidden = false;
    say("");
  }

  function fields() {
    var all = [];
    schema.sections.forEach(function (section) { all = all.concat(section.fields); });
    return all;
  }

  function fill(previous, posyandu) {
    var last = previous[posyandu] || {};
    fields().forEach(function (field) {
      if (field.kind === "count") document.getElementById("f-" + field.name).value = last[field.name] === undefined ? "" : last[field.name];
    });
    sums();
  }

  function label(name) {
    return fields().filter(function (field) { return field.name === name; })[0].short;
  }

  function value(name) {
    var raw = document.getElementById("f-" + name).value;
    return raw === "" ? null : Number(raw);
  }

  function sums() {
    var fine = true;
    schema.sums.forEach(function (sum) {
      var total = value(sum.total);
      var parts = sum.parts.map(value);
      var added = parts.reduce(function (a, b) { return a + (b || 0); }, 0);
      var line = document.getElementById("sum-" + sum.total);
      line.textContent = text.sum.replace("{parts}", sum.parts.map(label).join("+"))
        .replace("{sum}", added).replace("{total}", label(sum.total))
        .replace("{value}", total === null ? "-" : total);
      var off = total !== null && added !== total;
      line.className = off ? "sum off" : "sum";
      fine = fine && !off;
    });
    return fine;
  }

  function answers() {
    var result = {};
    fields().forEach(function (field) {
      var raw = document.getElementById("f-" + field.name).value;
      if (raw === "") return;
      result[field.name] = field.kind === "count" ? Number(raw) : raw;
    });
    return result;
  }

  function send(confirmed) {
    if (!form.reportValidity() || !sums()) return;
    submissionId = submissionId || (Date.now().toString(36) + Math.random().toString(36).slice(2));
    var posyandu = document.getElementById("posyandu");
    sendButton.disabled = confirmButton.disabled = true;
    post("/app/lapor/kirim", {
      posyandu: posyandu ? posyandu.value : firstPosyandu, answers: answers(), confirm: confirmed, id: submissionId
    }).then(function (reply) {
      sendButton.disabled = confirmButton.disabled = false;
      confirmButton.hidden = reply.status !== 409;
      if (reply.status === 200) {
        say(text.sent + "\n\n" + reply.data.message, "ok");
        sendButton.hidden = true;
      } else {
        say([reply.data.error].concat(reply.data.warnings || []).join("\n\n"), "error");
      }
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); send(false); });
  confirmButton.addEventListener("click", function () { send(true); });

  if (!initData() && !text.csrf) {
    say(text.outside, "error");
    return;
  }
  say(text.loading);
  post("/app/lapor/data").then(function (reply) {
    if (reply.status !== 200) { say(reply.data.error, "error"); return; }
    render(reply.data);
  });
})();
