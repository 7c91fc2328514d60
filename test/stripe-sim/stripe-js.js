/* global window, document, fetch */
// The Stripe simulator's stand-in for Stripe.js (https://js.stripe.com/v3/), served at /v3/ to
// the demo and the browser tests: exactly the calls Holdfast's checkout page makes — Stripe(),
// elements() in deferred-intent mode, the Payment Element and the Express Checkout Element,
// elements.submit(), elements.update(), confirmPayment() with 3-D Secure as a next action —
// against the simulator's API with the publishable key and the client secret, as Stripe.js does.
// Test infrastructure: production pages load Stripe's own Stripe.js. Real Stripe renders its
// fields in an iframe on its own origin; the stand-in renders them in the page, labelled.
(function () {
  "use strict";
  var BASE = "__STRIPE_SIM_BASE__";
  var STYLE =
    ".sim-pe{display:grid;gap:12px}.sim-pe label{display:block;font-weight:550;margin:0 0 4px}" +
    ".sim-pe input{font:inherit;width:100%;min-height:48px;padding:10px 12px;border:1px solid #8c8c8c;border-radius:8px;box-sizing:border-box}" +
    ".sim-pe .sim-row{display:grid;grid-template-columns:1fr 1fr;gap:12px}.sim-pe .sim-err{color:#b3261e;font-size:.875rem;margin:0;min-height:1.3em}" +
    ".sim-pe .sim-tabs{display:flex;gap:8px;margin:0}.sim-pe .sim-tab{border:2px solid currentColor;border-radius:8px;padding:8px 12px;font-weight:650;min-height:44px;display:flex;align-items:center}" +
    ".sim-ex{width:100%;min-height:48px;border-radius:8px;border:0;background:#00d66f;color:#011e0f;font:inherit;font-weight:700;cursor:pointer}" +
    ".sim-3ds{border:0;border-radius:12px;padding:24px;max-width:420px;width:calc(100% - 32px)}.sim-3ds::backdrop{background:rgba(0,0,0,.5)}" +
    ".sim-3ds button{font:inherit;min-height:48px;padding:10px 16px;border-radius:8px;margin:8px 8px 0 0;cursor:pointer}";

  function integrationError(message) {
    var e = new Error(message);
    e.name = "IntegrationError";
    return e;
  }

  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = Number(number[number.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return number.length >= 13 && sum % 10 === 0;
  }

  function form(params) {
    var out = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== undefined && params[k] !== null) out.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
    });
    return out.join("&");
  }

  function Stripe(publishableKey, options) {
    if (!/^pk_(test|live)_\w+$/.test(String(publishableKey))) throw integrationError("Invalid value for Stripe(): apiKey should be a publishable key (pk_…).");
    var account = options && options.stripeAccount;

    function api(path, params) {
      var headers = { "Content-Type": "application/x-www-form-urlencoded" };
      if (account) headers["Stripe-Account"] = account;
      return fetch(BASE + path, { method: "POST", headers: headers, body: form(Object.assign({ key: publishableKey }, params)) }).then(function (r) {
        return r.json().then(function (body) {
          return { status: r.status, body: body };
        });
      });
    }

    function elements(opts) {
      if (!opts || (opts.mode !== "payment" && !opts.clientSecret))
        throw integrationError("elements(): pass mode: 'payment' with amount and currency, or a clientSecret.");
      if (opts.mode === "payment" && (!Number.isInteger(opts.amount) || opts.amount < 1 || !opts.currency))
        throw integrationError("elements(): in payment mode, amount must be a positive integer and currency is required.");
      var state = { amount: opts.amount, currency: opts.currency, payment: null, express: null, expressUsed: null };
      var group = {
        create: function (type, createOptions) {
          if (type === "payment") return (state.payment = paymentElement(createOptions || {}));
          if (type === "expressCheckout") return (state.express = expressElement(state));
          throw integrationError("elements.create(): the stand-in knows 'payment' and 'expressCheckout', not '" + type + "'.");
        },
        update: function (u) {
          if (u && u.amount !== undefined) state.amount = u.amount;
        },
        submit: function () {
          if (state.expressUsed) return Promise.resolve({});
          if (!state.payment) return Promise.resolve({ error: { type: "validation_error", message: "No Payment Element is mounted." } });
          var problem = state.payment.validate();
          return Promise.resolve(problem ? { error: problem } : {});
        },
        _state: state,
      };
      return group;
    }

    function confirmPayment(o) {
      if (!o || !o.elements || !o.clientSecret) throw integrationError("confirmPayment(): elements and clientSecret are required.");
      if (o.redirect !== "if_required" && !(o.confirmParams && o.confirmParams.return_url))
        throw integrationError("confirmPayment(): confirmParams.return_url is required.");
      var state = o.elements._state;
      var piId = String(o.clientSecret).split("_secret_")[0];
      var params = { client_secret: o.clientSecret, return_url: o.confirmParams && o.confirmParams.return_url };
      if (state.expressUsed)
        params.payment_method = "pm_card_visa"; // the test wallet's saved card
      else {
        var card = state.payment.card();
        params["payment_method_data[type]"] = "card";
        params["payment_method_data[card][number]"] = card.number;
        params["payment_method_data[card][exp_month]"] = card.expMonth;
        params["payment_method_data[card][exp_year]"] = card.expYear;
        params["payment_method_data[card][cvc]"] = card.cvc;
      }
      state.expressUsed = null;
      return api("/v1/payment_intents/" + piId + "/confirm", params).then(function (answer) {
        if (answer.body.error) return { error: answer.body.error };
        var pi = answer.body;
        if (pi.status === "requires_action") return threeDSecure(pi);
        return { paymentIntent: { id: pi.id, status: pi.status } };
      });
    }

    // The bank's challenge, as Stripe's test mode shows it: complete or fail.
    function threeDSecure(pi) {
      return new Promise(function (resolve) {
        var dialog = document.createElement("dialog");
        dialog.className = "sim-3ds";
        dialog.setAttribute("aria-labelledby", "sim-3ds-title");
        dialog.innerHTML =
          '<h2 id="sim-3ds-title">3D Secure 2 test page</h2><p>Your bank asks you to confirm this payment.</p>' +
          '<button type="button" data-outcome="pass">Complete authentication</button><button type="button" data-outcome="fail">Fail authentication</button>';
        var style = document.createElement("style");
        style.textContent = STYLE;
        dialog.appendChild(style);
        document.body.appendChild(dialog);
        dialog.addEventListener("cancel", function (e) {
          e.preventDefault();
        });
        dialog.addEventListener("click", function (e) {
          var outcome = e.target && e.target.getAttribute && e.target.getAttribute("data-outcome");
          if (!outcome) return;
          fetch(BASE + "/_sim/payment_intents/" + pi.id + "/authenticate", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ outcome: outcome }),
          })
            .then(function (r) {
              return r.json();
            })
            .then(function (after) {
              dialog.close();
              dialog.remove();
              if (after.status === "requires_capture" || after.status === "succeeded") resolve({ paymentIntent: { id: after.id, status: after.status } });
              else
                resolve({
                  error: {
                    type: "invalid_request_error",
                    code: "payment_intent_authentication_failure",
                    message:
                      (after.last_payment_error && after.last_payment_error.message) ||
                      "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
                  },
                });
            });
        });
        dialog.showModal();
        dialog.querySelector("button").focus();
      });
    }

    return { elements: elements, confirmPayment: confirmPayment };
  }

  function emitter() {
    var handlers = {};
    return {
      on: function (event, handler) {
        (handlers[event] = handlers[event] || []).push(handler);
      },
      emit: function (event, payload) {
        (handlers[event] || []).forEach(function (h) {
          h(payload);
        });
      },
    };
  }

  function paymentElement() {
    var events = emitter();
    var root = null;
    var field = function (name) {
      return root.querySelector('[name="' + name + '"]');
    };
    var element = {
      on: events.on,
      mount: function (target) {
        root = typeof target === "string" ? document.querySelector(target) : target;
        if (!root) throw integrationError("mount(): no element matches " + target);
        root.innerHTML =
          "<style>" +
          STYLE +
          '</style><div class="sim-pe"><p class="sim-tabs" aria-label="Payment method"><span class="sim-tab">Card</span></p>' +
          '<div><label for="sim-number">Card number</label><input id="sim-number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" aria-describedby="sim-err"></div>' +
          '<div class="sim-row"><div><label for="sim-exp">Expiration date</label><input id="sim-exp" name="exp" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" aria-describedby="sim-err"></div>' +
          '<div><label for="sim-cvc">Security code</label><input id="sim-cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" aria-describedby="sim-err"></div></div>' +
          '<p class="sim-err" id="sim-err" role="alert"></p></div>';
        root.addEventListener("input", function () {
          events.emit("change", { elementType: "payment", complete: !element.problem(), empty: !field("number").value });
        });
        events.emit("ready", { elementType: "payment" });
      },
      card: function () {
        var exp = field("exp").value.replace(/\D/g, ""); // "12 / 34", "12/34" and "1234" alike
        var year = exp.slice(2);
        return {
          number: field("number").value.replace(/\D/g, ""),
          expMonth: exp.slice(0, 2),
          expYear: year.length === 2 ? "20" + year : year,
          cvc: field("cvc").value.trim(),
        };
      },
      problem: function () {
        if (!root) return { code: "incomplete", message: "Your payment details are incomplete." };
        var c = element.card();
        if (!c.number) return { code: "incomplete_number", field: "number", message: "Your card number is incomplete." };
        if (!luhn(c.number)) return { code: "invalid_number", field: "number", message: "Your card number is invalid." };
        var month = Number(c.expMonth);
        var year = Number(c.expYear);
        if (!month || !year) return { code: "incomplete_expiry", field: "exp", message: "Your card's expiration date is incomplete." };
        var now = new Date();
        if (month < 1 || month > 12 || year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1))
          return { code: "invalid_expiry_year_past", field: "exp", message: "Your card's expiration date is in the past." };
        if (!/^\d{3,4}$/.test(c.cvc)) return { code: "incomplete_cvc", field: "cvc", message: "Your card's security code is incomplete." };
        return null;
      },
      validate: function () {
        var p = element.problem();
        ["number", "exp", "cvc"].forEach(function (n) {
          if (root) field(n).removeAttribute("aria-invalid");
        });
        if (root) root.querySelector("#sim-err").textContent = p ? p.message : "";
        if (p && p.field) {
          field(p.field).setAttribute("aria-invalid", "true");
          field(p.field).focus();
        }
        return p ? { type: "validation_error", code: p.code, message: p.message } : null;
      },
    };
    return element;
  }

  // The wallets a browser offers; the stand-in offers Link (every browser can use it), paid with its test card.
  function expressElement(state) {
    var events = emitter();
    return {
      on: events.on,
      mount: function (target) {
        var root = typeof target === "string" ? document.querySelector(target) : target;
        if (!root) throw integrationError("mount(): no element matches " + target);
        root.innerHTML = "<style>" + STYLE + '</style><button type="button" class="sim-ex">Pay with Link</button>';
        root.querySelector("button").addEventListener("click", function () {
          var resolved = false;
          events.emit("click", {
            expressPaymentType: "link",
            resolve: function () {
              resolved = true;
            },
          });
          if (!resolved) return;
          state.expressUsed = "link";
          events.emit("confirm", { expressPaymentType: "link", paymentFailed: function () {} });
        });
        events.emit("ready", { availablePaymentMethods: { link: true, applePay: false, googlePay: false } });
      },
    };
  }

  window.Stripe = Stripe;
})();
