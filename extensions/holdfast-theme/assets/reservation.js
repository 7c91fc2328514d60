/* Holdfast's cart reservation (theme app extension, app embed). When the shopper heads to
   checkout from the cart page or drawer, the cart's items are reserved through the app proxy;
   the time left is shown from the server's clock. The reservation's end never stops the
   checkout: only the guarantee ends. No framework: this file is the whole of it. */
(function () {
  "use strict";
  var el = document.getElementById("holdfast-reservation");
  if (!el || el.dataset.ready) return;
  el.dataset.ready = "1";
  var d = el.dataset;
  var root = (d.root || "/").replace(/\/?$/, "/");
  var message = el.querySelector(".holdfast-reservation__message");
  var linesEl = el.querySelector(".holdfast-reservation__lines");
  var actions = el.querySelector(".holdfast-reservation__actions");
  var timer = document.createElement("span");
  timer.className = "holdfast-reservation__time";
  timer.setAttribute("aria-hidden", "true");
  var endsAt = 0;
  var tick = 0;
  var state = "";
  var proceeding = false;

  function json(url, init) {
    return fetch(url, init).then(function (res) {
      return res.json().then(
        function (body) {
          return { status: res.status, body: body };
        },
        function () {
          return { status: res.status, body: null };
        },
      );
    });
  }
  function cart() {
    return json(root + "cart.js", { headers: { Accept: "application/json" }, credentials: "same-origin" });
  }
  function clock(seconds) {
    var s = Math.max(0, seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function minutes(seconds) {
    var m = Math.max(1, Math.round(seconds / 60));
    return m + (m === 1 ? " minute" : " minutes");
  }
  function clear() {
    linesEl.textContent = "";
    actions.textContent = "";
  }
  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "holdfast-reservation__button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    actions.appendChild(b);
    return b;
  }
  function show(kind, text) {
    state = kind;
    el.hidden = false;
    el.dataset.state = kind;
    message.textContent = text;
  }

  function held(hold, items) {
    clear();
    endsAt = Date.now() + Math.max(0, hold.remainingSeconds) * 1000;
    show("held", d.textHeld + " " + minutes(hold.remainingSeconds) + ".");
    message.appendChild(document.createTextNode(" "));
    message.appendChild(timer);
    items.forEach(function (i) {
      var li = document.createElement("li");
      li.textContent = i.title + " × " + i.quantity;
      linesEl.appendChild(li);
    });
    clearInterval(tick);
    tick = setInterval(update, 1000);
    update();
  }
  function update() {
    var left = Math.ceil((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(tick);
      clear();
      show("ended", d.textEnded);
      button(d.textDismiss, function () {
        el.hidden = true;
      });
      return;
    }
    if (left <= 120 && state !== "warn") {
      show("warn", d.textWarn + " " + minutes(left) + ".");
      message.appendChild(document.createTextNode(" "));
      message.appendChild(timer);
    }
    timer.textContent = clock(left);
  }
  function short(body, items, go) {
    clearInterval(tick);
    clear();
    show("short", d.textShort);
    (body.lines || []).forEach(function (l) {
      if (l.available >= l.quantity) return;
      var id = Number(String(l.variantId).split("/").pop());
      var item = items.filter(function (i) {
        return i.variant_id === id;
      })[0];
      var li = document.createElement("li");
      var left = Math.max(0, l.available);
      li.textContent = (item ? item.title : "An item") + ": " + (left === 0 ? "none left" : "only " + left + " left") + " (you chose " + l.quantity + ").";
      linesEl.appendChild(li);
    });
    button(d.textContinue, go).focus();
    button(d.textDismiss, function () {
      el.hidden = true;
    });
  }

  /* Reserves the cart, then lets the shopper through to checkout. A refusal for stock keeps
     them on the cart with the reason; anything else (the app unreachable) never stops a sale. */
  function reserve(go, origin) {
    /* From a modal cart drawer (<dialog>), the notice goes inside it: the page behind is inert. */
    var host = origin && origin.closest && origin.closest("dialog[open]");
    if (host && el.parentNode !== host) host.appendChild(el);
    return cart()
      .then(function (c) {
        var items = (c.body && c.body.items) || [];
        if (!c.body || !c.body.token || !items.length) return go();
        var lines = items.map(function (i) {
          return { variantId: "gid://shopify/ProductVariant/" + i.variant_id, quantity: i.quantity };
        });
        return json(d.proxy, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ cartToken: c.body.token, lines: lines }),
        }).then(function (r) {
          if (r.status === 200 && r.body && r.body.hold) {
            held(r.body.hold, items);
            return go();
          }
          if (r.status === 409 && r.body) return short(r.body, items, go);
          return go();
        });
      })
      .catch(go);
  }

  function isCheckout(node) {
    if (!node || !node.closest) return null;
    return node.closest('button[name="checkout"], input[name="checkout"], a[href$="/checkout"], a[href*="/checkout?"]');
  }
  document.addEventListener(
    "submit",
    function (e) {
      var form = e.target;
      var submitter = e.submitter;
      if (proceeding || !(isCheckout(submitter) || /\/checkout(\?|$)/.test(form.getAttribute("action") || ""))) return;
      e.preventDefault();
      reserve(function () {
        proceeding = true;
        if (form.requestSubmit) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        else form.submit();
      }, submitter || form);
    },
    true,
  );
  document.addEventListener(
    "click",
    function (e) {
      var link = isCheckout(e.target);
      if (proceeding || !link || link.tagName !== "A") return;
      e.preventDefault();
      reserve(function () {
        proceeding = true;
        window.location.href = link.href;
      }, link);
    },
    true,
  );

  /* Back on the cart with a reservation still running: show it. */
  cart()
    .then(function (c) {
      if (!c.body || !c.body.token || !c.body.items || !c.body.items.length) return;
      return json(d.proxy + "?cartToken=" + encodeURIComponent(c.body.token), { credentials: "same-origin" }).then(function (r) {
        var h = r.body && r.body.hold;
        if (r.status === 200 && h && (h.state === "held" || h.state === "extended") && h.remainingSeconds > 0) held(h, c.body.items);
      });
    })
    .catch(function () {});
})();
