// The validation Function: its logic, its input query against Shopify's pinned function-input
// schema, its fixtures checked by Shopify's test helpers, and its bundle (built as the CLI
// builds it) run behind the ShopifyFunction I/O shim on every fixture.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, visit } from "graphql";
import { loadFixture, validateTestAssets } from "@shopify/shopify-function-test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopifySchema } from "../../../test/dev-store/schemas";
import { bundleFunction, type FunctionBundle } from "../../../scripts/function-bundle";
import { cartValidationsGenerateRun, type CartValidationsGenerateRunInput } from "../src/cart_validations_generate_run";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const queryText = readFileSync(join(dir, "src/cart_validations_generate_run.graphql"), "utf8");
const fixtureFiles = readdirSync(join(dir, "tests/fixtures")).filter((f) => f.endsWith(".json"));

const MUG = "gid://shopify/ProductVariant/1001";
const CAP = "gid://shopify/ProductVariant/2002";
const asOf = 1_800_000_000;
const line = (quantity: number, id = MUG, product = "gid://shopify/Product/101", title = "Anchor Mug", variantTitle = "Default Title") => ({
  id: `gid://shopify/CartLine/${Math.random()}`,
  quantity,
  merchandise: { __typename: "ProductVariant", id, title: variantTitle, product: { id: product, title } },
});
const input = (opts: {
  lines: CartValidationsGenerateRunInput["cart"]["lines"];
  hold?: unknown;
  free?: Record<string, number>;
  ended?: string[];
  enforce?: boolean;
  exempt?: string[];
  step?: CartValidationsGenerateRunInput["buyerJourney"]["step"];
  noState?: boolean;
}): CartValidationsGenerateRunInput => ({
  buyerJourney: { step: opts.step === undefined ? "CHECKOUT_COMPLETION" : opts.step },
  cart: { lines: opts.lines, hold: opts.hold === undefined ? null : { jsonValue: opts.hold } },
  validation: {
    state: opts.noState
      ? null
      : { jsonValue: { v: 1, asOf, enforce: opts.enforce ?? true, free: opts.free ?? {}, ended: opts.ended ?? [], exemptProducts: opts.exempt ?? [] } },
  },
});
const claim = (quantity: number, extra: Record<string, unknown> = {}) => ({
  v: 1,
  id: "hold-1",
  expiresAt: asOf + 600,
  lines: [{ variantId: MUG, quantity }],
  ...extra,
});
const errorsOf = (i: CartValidationsGenerateRunInput) => cartValidationsGenerateRun(i).operations.flatMap((o) => o.validationAdd.errors);

describe("the validation's rule", () => {
  it("lets the holder take the units their live hold covers, even the last one", () => {
    expect(errorsOf(input({ lines: [line(1)], hold: claim(1), free: { [MUG]: 0 } }))).toEqual([]);
  });

  it("refuses another shopper the held units, at the line, saying what to do", () => {
    const errors = errorsOf(input({ lines: [line(2)], free: { [MUG]: 0 } }));
    expect(errors).toEqual([{ target: "$.cart.lines[0].quantity", message: expect.stringContaining("held for other shoppers") }]);
  });

  it("allows what nobody holds, and says how many when the shopper wants more", () => {
    expect(errorsOf(input({ lines: [line(2)], free: { [MUG]: 2 } }))).toEqual([]);
    const [error] = errorsOf(input({ lines: [line(3)], hold: claim(1), free: { [MUG]: 1 } }));
    expect(error.message).toBe("Only 2 of Anchor Mug can be bought right now: the rest is held for other shoppers. Change the quantity to 2 to continue.");
  });

  it("adds up the lines of one variant, and names the variant", () => {
    const lines = [line(1, CAP, "gid://shopify/Product/202", "Deck Cap", "Navy"), line(1, CAP, "gid://shopify/Product/202", "Deck Cap", "Navy")];
    const errors = errorsOf(input({ lines, free: { [CAP]: 1 } }));
    expect(errors).toEqual([{ target: "$.cart.lines[0].quantity", message: expect.stringContaining("Only 1 of Deck Cap (Navy)") }]);
  });

  it("a hold past its end (by the app's clock) or ended early covers nothing; then only free units count", () => {
    expect(errorsOf(input({ lines: [line(1)], hold: claim(1, { expiresAt: asOf }), free: { [MUG]: 0 } }))).toHaveLength(1);
    expect(errorsOf(input({ lines: [line(1)], hold: claim(1), ended: ["hold-1"], free: { [MUG]: 0 } }))).toHaveLength(1);
    expect(errorsOf(input({ lines: [line(1)], hold: claim(1, { expiresAt: asOf }), free: { [MUG]: 1 } }))).toEqual([]);
  });

  it("ignores a malformed or foreign claim rather than trusting it", () => {
    for (const bad of [{ ...claim(1), v: 2 }, { id: "hold-1" }, "hold-1", { ...claim(1), lines: [{ variantId: MUG, quantity: -5 }] }, []])
      expect(errorsOf(input({ lines: [line(1)], hold: bad, free: { [MUG]: 0 } })), JSON.stringify(bad)).toHaveLength(1);
  });

  it("never blocks adding to the cart, an uncontested variant, an exempt product, or anything while holds are off or unpublished", () => {
    expect(errorsOf(input({ lines: [line(5)], free: { [MUG]: 0 }, step: "CART_INTERACTION" }))).toEqual([]);
    expect(errorsOf(input({ lines: [line(5)], free: { [CAP]: 0 } }))).toEqual([]);
    expect(errorsOf(input({ lines: [line(5)], free: { [MUG]: 0 }, exempt: ["gid://shopify/Product/101"] }))).toEqual([]);
    expect(errorsOf(input({ lines: [line(5)], free: { [MUG]: 0 }, enforce: false }))).toEqual([]);
    expect(errorsOf(input({ lines: [line(5)], noState: true }))).toEqual([]);
  });

  it("checks at every checkout step, and when the step is unknown", () => {
    for (const step of ["CHECKOUT_INTERACTION", "CHECKOUT_COMPLETION", null] as const)
      expect(errorsOf(input({ lines: [line(1)], free: { [MUG]: 0 }, step })), String(step)).toHaveLength(1);
  });

  it("a negative free count (Shopify oversold elsewhere) allows nothing beyond the shopper's own hold", () => {
    expect(errorsOf(input({ lines: [line(1)], free: { [MUG]: -2 } }))).toHaveLength(1);
    expect(errorsOf(input({ lines: [line(1)], hold: claim(1), free: { [MUG]: -2 } }))).toEqual([]);
  });
});

describe("the input query", () => {
  it("is valid against Shopify's 2026-10 cart and checkout validation schema", async () => {
    const { validate } = await import("graphql");
    expect(validate(shopifySchema("cartValidation"), parse(queryText)).map((e) => e.message)).toEqual([]);
  });

  it("reads nothing a shopper can write (attributes, notes): a forged attribute cannot fake a hold", () => {
    const fields: string[] = [];
    visit(parse(queryText), { Field: (node) => void fields.push(node.name.value) });
    expect(fields).not.toContain("attribute");
    expect(fields).not.toContain("note");
    const metafields = [...queryText.matchAll(/metafield\(namespace: "([^"]+)"/g)].map((m) => m[1]);
    expect(metafields.length).toBeGreaterThan(0);
    expect(metafields.every((ns) => ns === "$app")).toBe(true);
  });
});

describe("the built bundle on Shopify's fixtures", () => {
  let bundle: FunctionBundle;
  beforeAll(async () => {
    bundle = await bundleFunction(dir, ["cart-validations-generate-run"]);
  });
  afterAll(() => bundle?.close());

  it.each(fixtureFiles)("%s: the fixture is valid and the bundle answers its output", async (file) => {
    const fixture = await loadFixture(join(dir, "tests/fixtures", file));
    const checked = await validateTestAssets({ schema: shopifySchema("cartValidation"), fixture, inputQueryAST: parse(queryText) });
    expect(checked.error).toBeUndefined();
    expect(checked.inputQuery.errors).toEqual([]);
    expect(checked.inputFixture.errors).toEqual([]);
    expect(checked.outputFixture.errors).toEqual([]);
    expect(await bundle.run(fixture.export, fixture.input)).toEqual(fixture.expectedOutput);
  });

  it("is small: no framework, well under Shopify's limits", () => {
    expect(bundle.bytes).toBeLessThan(16 * 1024);
  });
});
