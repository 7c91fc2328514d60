// The checkout page's whole stylesheet, inlined in the document (no request stands between the
// shopper and the first paint). Mobile first: one column, 44 px touch targets; two columns from
// 900 px. Space is reserved for everything that arrives later (payment form, totals, the hold's
// clock), so nothing moves when it does. `--brand` and `--on-brand` are the shop's colours.
export const CHECKOUT_CSS = `
*,*::before,*::after{box-sizing:border-box}
:root{--brand:#1f3a5f;--on-brand:#fff;--ink:#1a1a1a;--muted:#595959;--line:#d4d4d4;--bg:#f6f6f4;--card:#fff;--bad:#b3261e;--good:#1e6b3a;--warn:#8a5300;--radius:10px;color-scheme:light}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand)}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:12px;z-index:10}.skip:focus{left:8px}
.top{background:var(--brand);color:var(--on-brand)}
.top-in{max-width:1080px;margin:0 auto;padding:12px 16px;display:flex;align-items:center;justify-content:space-between;gap:12px;min-height:64px}
.shop-name{font-size:1.25rem;font-weight:650;margin:0}
.logo{display:block;max-height:40px;width:auto}
.secure{display:flex;align-items:center;gap:6px;font-size:.875rem}
.secure svg{width:16px;height:16px;fill:currentColor}
.layout{max-width:1080px;margin:0 auto;padding:16px;display:grid;gap:16px;grid-template-columns:minmax(0,1fr)}
@media (min-width:900px){.layout{grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);align-items:start;padding:24px 16px}.summary{order:2;position:sticky;top:16px}}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px}
h1,h2,h3{line-height:1.25}
h1{font-size:1.375rem;margin:0 0 12px}
h2{font-size:1.125rem;margin:0 0 12px}
.progress{list-style:none;display:flex;gap:4px;margin:0 0 16px;padding:0;font-size:.875rem;counter-reset:step}
.progress li{flex:1 1 0;display:flex;gap:.25em;align-items:center;justify-content:center;min-height:40px;padding:4px;border-bottom:3px solid var(--line);color:var(--muted);counter-increment:step;text-align:center;position:relative}
.progress li::before{content:counter(step) ". "}
.progress li.done{border-color:var(--good);color:var(--ink)}
.progress li[aria-current=step]{border-color:var(--brand);color:var(--ink);font-weight:650}
.lines{list-style:none;margin:0 0 12px;padding:0}
.lines li{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-bottom:1px solid var(--line)}
.qty{color:var(--muted);font-size:.875rem}
.totals{display:grid;grid-template-columns:1fr auto;gap:6px 0;margin:12px 0 0}
.totals dt{color:var(--muted)}.totals dd{margin:0;padding-left:12px;text-align:right;font-variant-numeric:tabular-nums}
.totals .grand{font-size:1.25rem;font-weight:700;color:var(--ink);padding-top:8px;border-top:1px solid var(--line)}
.note{font-size:.875rem;color:var(--muted);margin:4px 0 0}
.changed{min-height:1.5em;font-size:.875rem;color:var(--warn);margin:8px 0 0}
.hold{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px;min-height:64px;border-left:6px solid var(--good)}
.hold.ending{border-left-color:var(--warn)}.hold.ended,.hold.short{border-left-color:var(--bad)}
.hold p{margin:0}.clock{font-variant-numeric:tabular-nums;font-weight:700}
form{margin:0}
fieldset{border:0;margin:0 0 16px;padding:0}
legend{font-weight:650;font-size:1.125rem;margin:0 0 8px;padding:0}
.field{margin:0 0 12px}
.row{display:grid;gap:12px;grid-template-columns:minmax(0,1fr)}
@media (min-width:520px){.row.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
label{display:block;font-weight:550;margin:0 0 4px}
input,select{font:inherit;width:100%;min-height:48px;padding:10px 12px;border:1px solid #8c8c8c;border-radius:8px;background:#fff;color:var(--ink)}
input[type=checkbox],input[type=radio]{width:24px;min-height:24px;height:24px;margin:0;accent-color:var(--brand);flex:none}
input:focus-visible,select:focus-visible,button:focus-visible,summary:focus-visible,a:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
[aria-invalid=true]{border-color:var(--bad);border-width:2px}
.error{color:var(--bad);font-size:.875rem;margin:4px 0 0}
.error:empty{display:none}
.check{display:flex;align-items:center;gap:10px;min-height:44px;font-weight:400;margin:0}
.billing{margin-top:8px}
form:has(#billingSame:checked) .billing{display:none}
.rates{list-style:none;margin:0 0 12px;padding:0}
.rates label{display:flex;align-items:center;gap:10px;min-height:48px;padding:8px 12px;border:1px solid var(--line);border-radius:8px;margin:0 0 8px;font-weight:400}
.rates label:has(input:checked){border-color:var(--brand);border-width:2px}
.rates .price{margin-left:auto;font-variant-numeric:tabular-nums}
button,.button{font:inherit;font-weight:650;min-height:48px;padding:10px 16px;border-radius:8px;border:1px solid var(--brand);background:var(--brand);color:var(--on-brand);cursor:pointer;width:100%}
button.secondary{background:#fff;color:var(--brand);width:auto}
button.link{background:none;border:0;color:var(--brand);text-decoration:underline;min-height:44px;width:auto;padding:0 4px;font-weight:550}
button[disabled]{opacity:.6;cursor:progress}
.inline{display:flex;gap:8px;align-items:flex-end}.inline .field{flex:1;margin:0}.inline button{width:auto}
.codes{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:8px}
.codes li{display:flex;align-items:center;gap:4px;background:var(--bg);border-radius:999px;padding:0 4px 0 12px;font-size:.875rem}
.express{min-height:48px;margin:0 0 16px}
.express:empty{display:none}
.pay-el{min-height:190px;margin:0 0 12px}
.alert{border:2px solid var(--bad);border-radius:8px;padding:12px;margin:0 0 12px;color:var(--bad);background:#fdf3f2}
.alert:empty{display:none}
.ok{border:2px solid var(--good);border-radius:8px;padding:12px;margin:0 0 12px;color:var(--good);background:#f1f8f3}
.ok:empty{display:none}
.marks{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0 0;padding:0;list-style:none}
.marks li{border:1px solid var(--line);border-radius:4px;padding:2px 8px;font-size:.75rem;font-weight:650;color:var(--muted)}
details.policy{margin-top:16px}
details.policy summary{min-height:44px;display:flex;align-items:center;cursor:pointer;color:var(--brand);font-weight:550}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.title{grid-column:1/-1;margin:0}
.stack>*+*{margin-top:16px}
.page-narrow{max-width:640px;margin:24px auto;padding:0 16px}
`;
