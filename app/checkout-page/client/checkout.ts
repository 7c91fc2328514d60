// The checkout page's own script (bundled by scripts/build-checkout-client.ts; no framework):
// the page is whole without it, and this makes the parts that must be live work — forms answered
// in place, totals pushed by the server, the hold's clock, and Stripe's payment form.
import { clock, explainChange, spokenDuration, type TotalsFacts } from "../format";
import type { PageActionResult, PagePayment } from "../page.server";
import { CHECKOUT_ROUTE_ID, PAGE_DATA_HEADER } from "../route-id";

interface Config {
  stripe: { publishableKey: string; account: string; jsUrl: string } | null;
  currency: string;
  amount: number;
  payment: { checkoutId: string } | null;
  processing: boolean;
  provinces: string[];
}

// The parts of Stripe.js the page uses (https://docs.stripe.com/js).
interface StripeError {
  type: string;
  code?: string;
  decline_code?: string;
  message?: string;
}
interface StripeElement {
  mount(target: string | HTMLElement): void;
  on(event: string, handler: (event: { resolve?: (options?: object) => void; elementType?: string; expressPaymentType?: string }) => void): void;
}
interface StripeElements {
  create(type: "payment" | "expressCheckout", options?: object): StripeElement;
  update(options: { amount: number }): void;
  submit(): Promise<{ error?: StripeError }>;
}
interface StripeInstance {
  elements(options: object): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    clientSecret: string;
    confirmParams: { return_url: string };
    redirect: "if_required";
  }): Promise<{ error?: StripeError; paymentIntent?: { id: string; status: string } }>;
}
declare global {
  interface Window {
    Stripe?: (key: string, options: { stripeAccount: string }) => StripeInstance;
  }
}

const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document) => root.querySelector<T>(selector);
const readConfig = (root: ParentNode): Config => JSON.parse($("#checkout-config", root)?.textContent ?? "{}") as Config;

const main = $("main[data-path]");
if (main) start(main);

function start(main: HTMLElement) {
  let config = readConfig(document);
  // The page's own address: its path and the link's signature (not what a payment method added).
  const sig = new URLSearchParams(location.search).get("sig");
  const pageUrl = `${main.dataset.path}${sig ? `?sig=${encodeURIComponent(sig)}` : ""}`;
  let version = Number(main.dataset.version);
  let lastChange = "";
  let stripe: { instance: StripeInstance; elements: StripeElements } | null = null;

  const post = async (fields: FormData | Record<string, string>): Promise<PageActionResult & { payment?: PagePayment | null }> => {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    try {
      const response = await fetch(`${pageUrl}${pageUrl.includes("?") ? "&" : "?"}_data=${encodeURIComponent(CHECKOUT_ROUTE_ID)}`, {
        method: "POST",
        body,
        headers: { [PAGE_DATA_HEADER]: "1" },
      });
      if (response.status >= 500) return { ok: false, formError: "We could not reach the shop just now. Nothing was charged; try again in a moment." };
      return (await response.json()) as PageActionResult;
    } catch {
      return { ok: false, formError: "You seem to be offline. Nothing was charged; try again when you are connected." };
    }
  };

  const setText = (selector: string, text: string) => {
    const el = $(selector);
    if (el) el.textContent = text;
  };

  // ---- Regions the server renders, swapped in place (focus and typed values stay) ----------
  // One read of the page at a time, and at most one waiting: a change made while a read is in
  // flight is always followed by a read that starts after it (never answered by the older read).
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    if (!running) {
      running = swapFromServer()
        .catch(() => setText("[data-form-error]", "We could not refresh the page; check your connection."))
        .finally(() => (running = null));
      return running;
    }
    const next = () => {
      queued = null;
      return refresh();
    };
    return (queued ??= running.then(next, next));
  };

  async function swapFromServer() {
    const response = await fetch(pageUrl, { headers: { Accept: "text/html" }, cache: "no-store" });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    if (!$("main[data-path]", doc)) {
      location.reload(); // the order is placed (or the cart is gone): the server's page says so
      return;
    }
    const before = facts(document);
    const focused = document.activeElement?.id;
    // A part that did not change is left as it is: what the shopper is on keeps its focus.
    const replaced = new Set<string>();
    for (const selector of [
      '[data-region="summary"]',
      '[data-region="hold"]',
      '[data-region="delivery"]',
      ".progress",
      "form[data-pay]",
      "[data-payment-error]",
    ]) {
      const current = $(selector);
      const next = $(selector, doc);
      if (current && next && !sameMarkup(current, next)) {
        current.replaceWith(document.importNode(next, true));
        replaced.add(selector);
      }
    }
    if (focused && document.activeElement === document.body) document.getElementById(focused)?.focus();
    config = readConfig(doc);
    version = Number($("main[data-path]", doc)!.dataset.version);
    const after = facts(document);
    const change = before && after ? explainChange(before, after) : null;
    // The last reason stays on show until the total moves again.
    if (change) lastChange = change;
    setText("[data-total-change]", lastChange);
    stripe?.elements.update({ amount: Math.max(config.amount, 1) });
    enhanceRates();
    // A new hold banner starts its clock; an unchanged one keeps counting, to the server's time left.
    const serverLeft = $("[data-remaining]", doc)?.dataset.remaining;
    if (replaced.has('[data-region="hold"]')) startClock();
    else if (serverLeft !== undefined) deadline = performance.now() + Number(serverLeft) * 1000;
    if (config.processing) setTimeout(() => void refresh(), 1500);
  }

  // The hold's clock text and a box's live state are the page's own; the server's markup is compared without them.
  const sameMarkup = (current: Element, next: Element) => {
    const plain = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      for (const own of copy.querySelectorAll("[data-clock], [data-total-change], [data-hold-announce]")) own.textContent = "";
      copy.removeAttribute("data-remaining");
      copy.removeAttribute("data-live");
      copy.querySelector("[data-rates]")?.removeAttribute("data-live");
      for (const el of copy.querySelectorAll("[hidden][data-rate-submit]")) el.removeAttribute("hidden");
      return copy.outerHTML;
    };
    return plain(current) === plain(next);
  };

  const facts = (root: ParentNode): TotalsFacts | null => {
    const raw = $("[data-region=summary]", root)?.dataset.totals;
    return raw ? (JSON.parse(raw) as TotalsFacts) : null;
  };

  // ---- Forms answered in place -----------------------------------------------------------
  const clearErrors = (form: HTMLFormElement) => {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    for (const el of form.querySelectorAll<HTMLElement>(".error")) el.textContent = "";
    const code = form.querySelector("input[name=code]");
    if (code) setText("#code-error", "");
  };

  async function submitInPlace(form: HTMLFormElement, quiet = false) {
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    if (!quiet) {
      setText("[data-form-error]", "");
      setText("[data-flash]", "");
    }
    const result = await post(new FormData(form));
    if (button) button.disabled = false;
    if (!result.ok) {
      if (quiet) return;
      clearErrors(form);
      let first: HTMLElement | null = null;
      for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
        const input = document.getElementById(name);
        input?.setAttribute("aria-invalid", "true");
        setText(`#${name}-error`, message);
        first ??= input;
      }
      if (result.formError) setText("[data-form-error]", result.formError);
      first?.focus();
      return;
    }
    if (!quiet) clearErrors(form);
    if (result.message) setText("[data-flash]", result.message);
    await refresh();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target as HTMLFormElement;
    if (form.matches("form[data-pay]")) {
      event.preventDefault();
      void pay();
    } else if (form.matches("form[data-enhance]")) {
      event.preventDefault();
      void submitInPlace(form);
    }
  });

  // The address as it is typed: once it is complete, it is saved quietly, so delivery options
  // and tax appear without a button (the button still saves and shows what to fix).
  let typing: ReturnType<typeof setTimeout> | undefined;
  const details = $<HTMLFormElement>("form[data-details]");
  details?.addEventListener("change", (event) => {
    const target = event.target as HTMLElement;
    if (target.matches("[data-country]")) showProvinces(target as HTMLSelectElement);
    clearTimeout(typing);
    typing = setTimeout(() => {
      const required = ["email", "name", "address1", "city", "country"].map((n) => details.querySelector<HTMLInputElement>(`[name=${n}]`)?.value.trim());
      if (required.every(Boolean)) void submitInPlace(details, true);
    }, 300);
  });

  function showProvinces(select: HTMLSelectElement) {
    const field = select.closest(".row")?.querySelector<HTMLElement>("[data-province-field]");
    const province = field?.querySelector<HTMLSelectElement>("[data-province]");
    if (!field || !province) return;
    const has = config.provinces.includes(select.value);
    field.hidden = !has;
    for (const group of province.querySelectorAll<HTMLOptGroupElement>("optgroup")) group.hidden = group.dataset.for !== select.value;
    if (!has || province.selectedOptions[0]?.parentElement?.getAttribute("data-for") !== select.value) province.value = "";
  }
  for (const select of document.querySelectorAll<HTMLSelectElement>("[data-country]")) showProvinces(select);

  // A delivery method is chosen by choosing it.
  function enhanceRates() {
    const rates = $<HTMLFormElement>("form[data-rates]");
    if (!rates || rates.dataset.live) return;
    rates.dataset.live = "1";
    $("[data-rate-submit]", rates)?.setAttribute("hidden", "");
    rates.addEventListener("change", () => void submitInPlace(rates, false));
  }
  enhanceRates();

  // ---- The hold's clock, from the server's time left -------------------------------------
  let timer: ReturnType<typeof setInterval> | undefined;
  /** When the hold ends, on this page's monotonic clock (set from the server's seconds left at each read). */
  let deadline = 0;
  function startClock() {
    clearInterval(timer);
    const banner = $("[data-remaining]");
    if (!banner) return;
    deadline = performance.now() + Number(banner.dataset.remaining) * 1000;
    let warned = Number(banner.dataset.remaining) <= 120;
    let asked = 0;
    const tick = () => {
      const left = (deadline - performance.now()) / 1000;
      setText("[data-clock]", clock(left));
      if (left <= 120 && !warned) {
        warned = true;
        banner.classList.add("ending");
        setText(
          "[data-hold-announce]",
          `Your reservation ends in ${spokenDuration(left)}.${$("[data-region=hold] form") ? " Choose More time to keep your items." : ""}`,
        );
      }
      // Time is up here: the server says what became of the hold (asked again every few seconds
      // until it says, as its clock may be a moment behind this one).
      if (left <= 0 && asked++ % 3 === 0) void refresh();
    };
    tick();
    timer = setInterval(tick, 1000);
  }
  startClock();

  // ---- Totals pushed by the server (another tab, a price change in Shopify) --------------
  if ("EventSource" in window) {
    const events = new EventSource(`${main.dataset.path}/events${sig ? `?sig=${encodeURIComponent(sig)}` : ""}`);
    events.addEventListener("totals", (event) => {
      const snapshot = JSON.parse((event as MessageEvent<string>).data) as { version: number };
      if (snapshot.version > version) void refresh();
    });
  }

  // ---- Payment: Stripe's Payment Element and Express Checkout Element --------------------
  const showPaymentError = (message: string) => {
    setText("[data-payment-error]", message);
    $("[data-payment-error]")?.scrollIntoView({ block: "center" });
  };
  const busy = (on: boolean) => {
    const button = $<HTMLButtonElement>("form[data-pay] button");
    if (button) {
      button.disabled = on;
      button.setAttribute("aria-busy", String(on));
    }
  };
  // Stripe's messages for card, validation and authentication errors are written for shoppers
  // (by decline code); its own failures are said plainly.
  const paymentMessage = (error: StripeError) =>
    error.message && !["api_error", "api_connection_error", "rate_limit_error", "authentication_error"].includes(error.type)
      ? error.message
      : "The payment could not be completed. Nothing was charged; try again.";

  async function pay() {
    if (!stripe) return showPaymentError("The payment form is still loading; try again in a moment.");
    setText("[data-payment-error]", "");
    busy(true);
    try {
      const submitted = await stripe.elements.submit();
      if (submitted.error) return showPaymentError(paymentMessage(submitted.error));
      const started = await post({ intent: "pay", expectedTotal: String(config.amount) });
      if (!started.ok || started.payment?.state !== "awaiting_payment") {
        if (started.payment?.state === "processing") return location.assign(pageUrl);
        await refresh();
        return showPaymentError((!started.ok && started.formError) || "The checkout could not start; check your details and try again.");
      }
      const { checkoutId, clientSecret } = started.payment;
      const confirmed = await stripe.instance.confirmPayment({
        elements: stripe.elements,
        clientSecret,
        confirmParams: { return_url: new URL(pageUrl, location.href).toString() },
        redirect: "if_required",
      });
      if (confirmed.error) return showPaymentError(paymentMessage(confirmed.error));
      await post({ intent: "confirm", checkoutId });
      location.assign(pageUrl); // the server's page: confirming, or the order
    } finally {
      busy(false);
    }
  }

  async function mountStripe() {
    if (!config.stripe) return;
    const script = document.querySelector<HTMLScriptElement>(`script[src="${config.stripe.jsUrl}"]`);
    if (!window.Stripe && script) await new Promise((resolve) => script.addEventListener("load", resolve, { once: true }));
    if (!window.Stripe) return showPaymentError("The payment form could not load. Check your connection and reload the page.");
    const instance = window.Stripe(config.stripe.publishableKey, { stripeAccount: config.stripe.account });
    const brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim();
    const elements = instance.elements({
      mode: "payment",
      amount: Math.max(config.amount, 1),
      currency: config.currency.toLowerCase(),
      captureMethod: "manual",
      appearance: { variables: { colorPrimary: brand, borderRadius: "8px", fontSizeBase: "16px" } },
    });
    elements.create("payment", { layout: "tabs" }).mount("#payment-element");
    const express = elements.create("expressCheckout", { buttonHeight: 48 });
    express.on("click", (event) => {
      // The wallet pays for what the page shows: contact and delivery come first.
      if ($<HTMLButtonElement>("form[data-pay] button")?.hasAttribute("disabled"))
        return showPaymentError("Enter your email and delivery address first, then choose your wallet.");
      event.resolve?.();
    });
    express.on("confirm", () => void pay());
    express.mount("#express-checkout");
    stripe = { instance, elements };
  }
  void mountStripe();

  // Back from a payment method that left the page (a bank's page, a wallet): the server is asked.
  const back = new URLSearchParams(location.search);
  if (back.has("payment_intent") && config.payment) {
    void post({ intent: "confirm", checkoutId: config.payment.checkoutId }).then(() => location.replace(pageUrl));
  } else if (config.processing) setTimeout(() => void refresh(), 1500);
}
