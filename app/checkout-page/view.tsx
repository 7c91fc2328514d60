// The checkout page's markup, rendered on the server only: the page's own script (client/) makes
// the parts that must be live (payment, totals, the hold's clock) work on top of it, and every
// form also works as a plain form post.
import { Fragment, type ReactNode } from "react";
import { parseDecimal } from "../totals/money";
import type { CheckoutPageData, ConfirmationData, PageActionResult } from "./page.server";
import { clock, money, type TotalsFacts } from "./format";
import { regionName } from "./regions";

const countryNames = new Intl.DisplayNames(["en"], { type: "region" });
/** The countries the address form offers, by name (ISO codes as ICU knows them). */
const COUNTRIES = (() => {
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      // Not countries (user-assigned ranges, groupings) and the retired or exceptional codes ICU still names.
      if (/^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN|AC|AN|BU|CP|CQ|CS|DD|DG|DY|EA|FX|HV|IC|NH|RH|SU|TA|TP|UK|VD|YD|YU|ZR)$/.test(code)) continue;
      const name = countryNames.of(code);
      if (name && name !== code) codes.push(code);
    }
  return codes.map((code) => ({ code, name: countryNames.of(code)! })).sort((x, y) => x.name.localeCompare(y.name));
})();

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
/** The country list as markup, made once: two selects of 250 options each are most of the page's render. */
const COUNTRY_OPTIONS = COUNTRIES.map((c) => `<option value="${c.code}">${escapeHtml(c.name)}</option>`).join("");
const countryOptions = (selected: string) => COUNTRY_OPTIONS.replace(`<option value="${selected}">`, `<option value="${selected}" selected="">`);

/** "Tax for Ontario (13%)" from the totals' "CA-ON tax". */
export function taxLabel(title: string, basisPoints: number): string {
  const m = /^([A-Z]{2})(?:-([A-Z0-9]+))? tax$/.exec(title);
  const where = m ? (m[2] ? regionName(m[1], m[2]) : (countryNames.of(m[1]) ?? m[1])) : title;
  return `Tax for ${where} (${basisPoints / 100}%)`;
}

export function totalsFacts(data: Pick<CheckoutPageData, "totals" | "currency">): TotalsFacts {
  const t = data.totals;
  return {
    grandTotal: t.grandTotal,
    currency: data.currency,
    shipping: t.shippingRate ? { title: t.shippingRate.title, amount: t.shipping } : null,
    tax: t.taxLines.map((l) => ({ title: taxLabel(l.title, l.basisPoints), amount: l.amount })),
    discounts: t.discounts,
    priceChanges: t.priceChanges.map((p) => ({ title: p.title, was: p.was, now: p.now })),
  };
}

const LOCK = (
  <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
    <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" />
  </svg>
);

export function ShopHeader({ shop }: { shop: CheckoutPageData["shop"] }) {
  return (
    <header className="top">
      <div className="top-in">
        {shop.logo ? (
          <img className="logo" src={shop.logo.url} alt={shop.logo.alt} width={shop.logo.width ?? undefined} height={shop.logo.height ?? undefined} />
        ) : (
          <p className="shop-name">{shop.name}</p>
        )}
        <span className="secure">
          {LOCK}
          Secure checkout
        </span>
      </div>
    </header>
  );
}

export function PolicyLink({ shop }: { shop: CheckoutPageData["shop"] }) {
  if (!shop.refundPolicy) return null;
  return (
    <details className="policy">
      <summary>{shop.refundPolicy.title}</summary>
      {/* The merchant's own policy text, as Shopify stores it (HTML written in the Shopify admin). */}
      <div dangerouslySetInnerHTML={{ __html: shop.refundPolicy.body }} />
    </details>
  );
}

type Errors = Record<string, string>;

function Field(props: {
  name: string;
  label: string;
  value: string;
  errors: Errors;
  autoComplete: string;
  type?: string;
  required?: boolean;
  inputMode?: "email" | "tel" | "text" | "numeric";
  hint?: string;
}) {
  const error = props.errors[props.name];
  const described = [props.hint ? `${props.name}-hint` : "", `${props.name}-error`].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={props.name}>
        {props.label}
        {props.required ? null : <span className="qty"> (optional)</span>}
      </label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.value}
        autoComplete={props.autoComplete}
        required={props.required}
        inputMode={props.inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {props.hint ? (
        <p className="note" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <p className="error" id={`${props.name}-error`}>
        {error ?? ""}
      </p>
    </div>
  );
}

function CountrySelect({ name, value, errors, autoComplete }: { name: string; value: string; errors: Errors; autoComplete: string }) {
  return (
    <div className="field">
      <label htmlFor={name}>Country</label>
      <select
        id={name}
        name={name}
        autoComplete={autoComplete}
        required
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`${name}-error`}
        data-country
        dangerouslySetInnerHTML={{ __html: countryOptions(value) }}
      />
      <p className="error" id={`${name}-error`}>
        {errors[name] ?? ""}
      </p>
    </div>
  );
}

function ProvinceSelect(props: {
  name: string;
  value: string;
  country: string;
  provinces: CheckoutPageData["provinces"];
  errors: Errors;
  autoComplete: string;
}) {
  const hidden = !props.provinces[props.country];
  return (
    <div className="field" data-province-field hidden={hidden}>
      <label htmlFor={props.name}>State / province</label>
      <select
        id={props.name}
        name={props.name}
        defaultValue={props.value}
        autoComplete={props.autoComplete}
        aria-invalid={props.errors[props.name] ? true : undefined}
        aria-describedby={`${props.name}-error`}
        data-province
      >
        <option value="">Choose…</option>
        {Object.entries(props.provinces).map(([country, regions]) => (
          <optgroup key={country} label={countryNames.of(country)} data-for={country}>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className="error" id={`${props.name}-error`}>
        {props.errors[props.name] ?? ""}
      </p>
    </div>
  );
}

function Summary({ data, actionData }: { data: CheckoutPageData; actionData?: PageActionResult }) {
  const t = data.totals;
  const codes = t.discountCodes;
  const codeError = actionData && !actionData.ok ? actionData.fieldErrors?.code : undefined;
  return (
    <section className="card summary" aria-labelledby="summary-title" data-region="summary" data-totals={JSON.stringify(totalsFacts(data))}>
      <h2 id="summary-title">Order summary</h2>
      <ul className="lines">
        {data.lines.map((l) => (
          <li key={l.id}>
            <span>
              {l.title}
              <br />
              <span className="qty">{`Qty ${l.quantity} × ${money(l.unitPrice, data.currency)}`}</span>
            </span>
            <span>{money(l.total, data.currency)}</span>
          </li>
        ))}
      </ul>
      <form method="post" data-enhance className="inline" noValidate>
        <input type="hidden" name="intent" value="discount" />
        <div className="field">
          <label htmlFor="code">Discount code</label>
          <input id="code" name="code" autoComplete="off" aria-invalid={codeError ? true : undefined} aria-describedby="code-error" />
        </div>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      <p className="error" id="code-error">
        {codeError ?? ""}
      </p>
      {codes.length ? (
        <ul className="codes" aria-label="Discount codes">
          {codes.map((c) => (
            <li key={c.code}>
              {c.code}
              {c.applied ? "" : ` (${c.reason ?? "not applied"})`}
              <form method="post" data-enhance>
                <input type="hidden" name="intent" value="remove-discount" />
                <input type="hidden" name="code" value={c.code} />
                <button type="submit" className="link" aria-label={`Remove discount code ${c.code}`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
      <TotalsList
        currency={data.currency}
        subtotal={t.subtotal}
        discounts={t.discounts}
        shipping={t.shippingRate ? { title: t.shippingRate.title, amount: t.shipping } : null}
        pending={data.details.address1 ? "Choose a rate" : "From your address"}
        taxLines={t.taxLines}
        taxIncluded={t.taxIncluded}
        taxPending={data.details.address1 ? null : "From your address"}
        total={{ label: "Total", amount: t.grandTotal }}
      />
      {t.priceChanges.length ? (
        <p className="changed">
          {t.priceChanges
            .map(
              (p) =>
                `The price of ${p.title} changed from ${money(parseDecimal(p.was, data.currency), data.currency)} to ${money(parseDecimal(p.now, data.currency), data.currency)}.`,
            )
            .join(" ")}
        </p>
      ) : null}
      <p className="changed" role="status" aria-live="polite" data-total-change></p>
    </section>
  );
}

/** The money, line by line, in the pipeline's order: on the page and on the confirmation. */
function TotalsList(props: {
  currency: string;
  subtotal: number;
  discounts: number;
  shipping: { title: string; amount: number } | null;
  /** What the shipping line says before a rate is chosen. */
  pending: string;
  taxLines: { title: string; basisPoints: number; amount: number }[];
  taxIncluded: boolean;
  /** What the tax line says before the address is known (null: no tax applies). */
  taxPending: string | null;
  total: { label: string; amount: number };
}) {
  const m = (minor: number) => money(minor, props.currency);
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd>{m(props.subtotal)}</dd>
      {props.discounts ? (
        <>
          <dt>Discounts</dt>
          <dd>−{m(props.discounts)}</dd>
        </>
      ) : null}
      <dt>Shipping{props.shipping ? ` (${props.shipping.title})` : ""}</dt>
      <dd>{props.shipping ? m(props.shipping.amount) : props.pending}</dd>
      {props.taxLines.length ? (
        props.taxLines.map((l) => (
          <Fragment key={l.title}>
            <dt>
              {taxLabel(l.title, l.basisPoints)}
              {props.taxIncluded ? " (included)" : ""}
            </dt>
            <dd>{m(l.amount)}</dd>
          </Fragment>
        ))
      ) : (
        <>
          <dt>Tax</dt>
          <dd>{props.taxPending ?? m(0)}</dd>
        </>
      )}
      <dt className="grand">{props.total.label}</dt>
      <dd className="grand" data-grand-total>
        {m(props.total.amount)}
        <span className="sr"> {props.currency}</span>
      </dd>
    </dl>
  );
}

function HoldBanner({ hold }: { hold: CheckoutPageData["hold"] }) {
  if (hold.state === "none") return <div data-region="hold" />;
  if (hold.state === "short")
    return (
      <section className="card hold short" data-region="hold" aria-labelledby="hold-title">
        <p id="hold-title">{hold.message}</p>
      </section>
    );
  if (hold.state === "ended")
    return (
      <section className="card hold ended" data-region="hold" aria-labelledby="hold-title">
        <p id="hold-title">
          <strong>Your items are no longer reserved.</strong> You can still check out; we check the stock again when you pay.
        </p>
        <form method="post" data-enhance>
          <input type="hidden" name="intent" value="reserve" />
          <button type="submit" className="secondary">
            Reserve again
          </button>
        </form>
      </section>
    );
  return (
    <section
      className={`card hold${hold.remainingSeconds <= 120 ? " ending" : ""}`}
      data-region="hold"
      aria-labelledby="hold-title"
      data-remaining={hold.remainingSeconds}
    >
      <p id="hold-title">
        {`${hold.units === 1 ? "Your item is" : `Your ${hold.units} items are`} reserved for `}
        <span className="clock" data-clock>
          {clock(hold.remainingSeconds)}
        </span>
        <span className="sr"> minutes</span>
      </p>
      {hold.extendable ? (
        <form method="post" data-enhance>
          <input type="hidden" name="intent" value="extend" />
          <button type="submit" className="secondary">
            More time
          </button>
        </form>
      ) : null}
      <p className="sr" role="status" aria-live="polite" data-hold-announce></p>
    </section>
  );
}

/**
 * One address's fields: the delivery address (`name`, `address1`, …) or the billing one
 * (`billingName`, `billingAddress1`, …), each with its autofill section.
 */
function AddressFields(props: {
  section: "shipping" | "billing";
  values: { name: string; address1: string; zip: string; city: string; country: string; province: string };
  provinces: CheckoutPageData["provinces"];
  errors: Errors;
}) {
  const { section, values, errors } = props;
  const name = (field: string) => (section === "billing" ? `billing${field[0].toUpperCase()}${field.slice(1)}` : field);
  return (
    <>
      <Field name={name("name")} label="Full name" value={values.name} errors={errors} autoComplete={`${section} name`} required />
      <Field name={name("address1")} label="Address" value={values.address1} errors={errors} autoComplete={`${section} street-address`} required />
      <div className="row two">
        <Field name={name("zip")} label="Postal code" value={values.zip} errors={errors} autoComplete={`${section} postal-code`} required />
        <Field name={name("city")} label="City" value={values.city} errors={errors} autoComplete={`${section} address-level2`} required />
      </div>
      <div className="row two">
        <CountrySelect name={name("country")} value={values.country} errors={errors} autoComplete={`${section} country`} />
        <ProvinceSelect
          name={name("province")}
          value={values.province}
          country={values.country}
          provinces={props.provinces}
          errors={errors}
          autoComplete={`${section} address-level1`}
        />
      </div>
    </>
  );
}

function stepOf(data: CheckoutPageData): 0 | 1 | 2 {
  if (!data.details.email) return 0;
  if (!data.details.address1 || (data.lines.length && !data.totals.shippingRate && data.totals.availableShippingRates.length)) return 1;
  return 2;
}

export function CheckoutView({ data, actionData }: { data: CheckoutPageData; actionData?: PageActionResult }) {
  const d = data.details;
  const errors: Errors = actionData && !actionData.ok ? (actionData.fieldErrors ?? {}) : {};
  const step = stepOf(data);
  const steps = ["Contact", "Delivery", "Payment"];
  const payment = data.payment;
  const formError = actionData && !actionData.ok ? actionData.formError : undefined;
  const paymentError = payment?.state === "awaiting_payment" ? payment.error?.message : payment?.state === "failed" ? payment.message : undefined;
  return (
    <>
      <a className="skip" href="#checkout">
        Skip to checkout
      </a>
      <ShopHeader shop={data.shop} />
      <main className="layout" id="checkout" data-path={data.shop.path} data-version={data.totalsVersion}>
        <h1 className="title">Checkout</h1>
        <Summary data={data} actionData={actionData} />
        <div className="stack">
          <ol className="progress" aria-label="Checkout progress">
            {steps.map((s, i) => (
              <li key={s} className={i < step ? "done" : undefined} aria-current={i === step ? "step" : undefined}>
                {s}
                {i < step ? <span className="sr"> (done)</span> : null}
              </li>
            ))}
          </ol>
          <HoldBanner hold={data.hold} />
          <div className="ok" role="status" data-flash>
            {actionData?.ok ? (actionData.message ?? "") : ""}
          </div>
          <div className="alert" role="alert" data-form-error>
            {formError ?? ""}
          </div>
          <div id="express-checkout" className="express" data-express></div>
          <form method="post" className="card" data-enhance data-details noValidate aria-labelledby="details-title">
            <h2 id="details-title">Contact and delivery</h2>
            <input type="hidden" name="intent" value="details" />
            <fieldset>
              <legend>Contact</legend>
              <Field
                name="email"
                label="Email"
                type="email"
                value={d.email}
                errors={errors}
                autoComplete="email"
                inputMode="email"
                required
                hint="For your receipt and delivery updates."
              />
              {data.requirePhone ? (
                <Field
                  name="phone"
                  label="Phone"
                  type="tel"
                  value={d.phone}
                  errors={errors}
                  autoComplete="tel"
                  inputMode="tel"
                  required
                  hint="The shop needs it for delivery."
                />
              ) : null}
            </fieldset>
            <fieldset>
              <legend>Delivery address</legend>
              <AddressFields
                section="shipping"
                values={{ name: d.name, address1: d.address1, zip: d.zip, city: d.city, country: d.country, province: d.province }}
                provinces={data.provinces}
                errors={errors}
              />
              <label className="check" htmlFor="billingSame">
                <input type="checkbox" id="billingSame" name="billingSame" defaultChecked={d.billingSame} />
                Billing address is the same as delivery
              </label>
              <fieldset className="billing">
                <legend>Billing address</legend>
                <AddressFields
                  section="billing"
                  values={{
                    name: d.billing?.name ?? "",
                    address1: d.billing?.address1 ?? "",
                    zip: d.billing?.zip ?? "",
                    city: d.billing?.city ?? "",
                    country: d.billing?.country ?? d.country,
                    province: d.billing?.province ?? "",
                  }}
                  provinces={data.provinces}
                  errors={errors}
                />
              </fieldset>
            </fieldset>
            <button type="submit">Save and continue</button>
          </form>
          <Delivery data={data} />
          <section className="card" aria-labelledby="payment-title" data-payment={payment?.state ?? "none"}>
            <h2 id="payment-title">Payment</h2>
            <div className="alert" role="alert" data-payment-error>
              {paymentError ?? ""}
            </div>
            {payment?.state === "processing" ? (
              <p className="ok" role="status">
                Confirming your payment with your bank… This page updates by itself.
              </p>
            ) : null}
            {data.stripe ? (
              <>
                <div id="payment-element" className="pay-el" data-payment-element></div>
                <noscript>
                  <p className="alert">Paying needs JavaScript: your card details go straight to Stripe, never to this shop.</p>
                </noscript>
                <form method="post" data-pay>
                  <input type="hidden" name="intent" value="pay" />
                  <input type="hidden" name="expectedTotal" value={data.totals.grandTotal} />
                  <button type="submit" disabled={step < 2 || payment?.state === "processing"} aria-describedby="pay-note">
                    {`Pay ${money(data.totals.grandTotal, data.currency)}`}
                  </button>
                  <p className="note" id="pay-note">
                    {step < 2 ? "Enter your details and choose delivery first." : "You are charged only when your order is placed."}
                  </p>
                </form>
              </>
            ) : (
              <p>This shop is not taking payments online yet.</p>
            )}
            <ul className="marks" aria-label="Accepted payment methods">
              <li>Visa</li>
              <li>Mastercard</li>
              <li>American Express</li>
              <li>Apple Pay</li>
              <li>Google Pay</li>
              <li>Link</li>
            </ul>
            <PolicyLink shop={data.shop} />
          </section>
        </div>
      </main>
      <script
        type="application/json"
        id="checkout-config"
        dangerouslySetInnerHTML={{
          __html: safeJson({
            stripe: data.stripe,
            currency: data.currency,
            amount: data.totals.grandTotal,
            payment: payment?.state === "awaiting_payment" ? { checkoutId: payment.checkoutId } : null,
            processing: payment?.state === "processing",
            provinces: Object.keys(data.provinces),
          }),
        }}
      />
    </>
  );
}

function Delivery({ data }: { data: CheckoutPageData }) {
  const t = data.totals;
  return (
    <section className="card" aria-labelledby="delivery-title" data-region="delivery">
      <h2 id="delivery-title">Delivery</h2>
      {!data.details.address1 ? (
        <p className="note">Delivery options appear once we know your address.</p>
      ) : t.availableShippingRates.length === 0 ? (
        <p>We do not deliver to this address. Check the country and postal code.</p>
      ) : (
        <form method="post" data-enhance data-rates>
          <input type="hidden" name="intent" value="shipping-rate" />
          <fieldset>
            <legend className="sr">Delivery method</legend>
            <ul className="rates">
              {t.availableShippingRates.map((r) => (
                <li key={r.id}>
                  <label>
                    <input type="radio" id={`rate-${r.id}`} name="rateId" value={r.id} defaultChecked={t.shippingRate?.id === r.id} required />
                    {r.title}
                    <span className="price">{r.amount ? money(r.amount, data.currency) : "Free"}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="submit" className="secondary" data-rate-submit>
            Use this delivery method
          </button>
        </form>
      )}
    </section>
  );
}

export function ConfirmationView({ data }: { data: ConfirmationData }) {
  const p = data.priced;
  return (
    <>
      <ShopHeader shop={data.shop} />
      <main className="page-narrow stack" id="checkout">
        <section className="card" aria-labelledby="done-title">
          <h1 id="done-title">Thank you, your order is placed</h1>
          <p>
            Order number <strong>{data.orderNumber}</strong>.{data.email ? ` A confirmation is on its way to ${data.email}.` : ""}
          </p>
          <ul className="lines">
            {p.lines.map((l) => (
              <li key={l.variantId}>
                <span>
                  {l.title} <span className="qty">× {l.quantity}</span>
                </span>
                <span>{money(l.unitPrice * l.quantity, p.currency)}</span>
              </li>
            ))}
          </ul>
          <TotalsList
            currency={p.currency}
            subtotal={p.subtotal}
            discounts={p.discounts}
            shipping={{ title: p.shippingTitle ?? "Shipping", amount: p.shipping }}
            pending=""
            taxLines={p.taxLines}
            taxIncluded={p.taxIncluded}
            taxPending={null}
            total={{ label: "Paid", amount: p.grandTotal }}
          />
        </section>
        <PolicyLink shop={data.shop} />
      </main>
    </>
  );
}

export function ProblemView({ title, detail, children }: { title: string; detail: string; children?: ReactNode }) {
  return (
    <main className="page-narrow" id="checkout">
      <section className="card" aria-labelledby="problem-title">
        <h1 id="problem-title">{title}</h1>
        <p>{detail}</p>
        {children}
      </section>
    </main>
  );
}

/** JSON safe inside a <script> element. */
export const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");
