// Admin API cart and checkout validations, as Shopify keeps them: created from one of the app's
// Functions (by handle or id; deploy registers them from extensions/*), enabled or not,
// blocking on failure or not, with metafields the app sets (metafieldsSet on the Validation)
// and the Function reads in its input. At most 25 enabled per shop, as Shopify allows.
import { GraphQLError } from "graphql";
import { gid, paginate, parseGid, type PageArgs } from "./graphql-support";
import type { DevStoreState, ShopState } from "./store";

export interface DevValidation {
  id: number;
  title: string;
  functionHandle: string;
  enabled: boolean;
  blockOnFailure: boolean;
  metafields: Map<string, { namespace: string; key: string; type: string; value: string; updatedAt: string }>;
}

type Args = Record<string, unknown>;
const MAX_ENABLED = 25;

function requireScope(granted: string[], field: string, scope: "read_validations" | "write_validations") {
  if (!granted.includes(scope) && !(scope === "read_validations" && granted.includes("write_validations")))
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
      extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
    });
}

/** `$app` is the calling app's own namespace; Shopify stores it as app--<id>. */
const storedNamespace = (ns: string | undefined, state: DevStoreState) => (!ns || ns === "$app" ? `app--${state.app.apiKey}` : ns);
const keyOf = (namespace: string, key: string) => `${namespace}.${key}`;

export function validationResolvers(state: DevStoreState, shop: ShopState, granted: string[]) {
  const functionOf = (handle: string) => state.app.functions?.find((f) => f.handle === handle);
  const view = (v: DevValidation) => {
    const fn = functionOf(v.functionHandle)!;
    const metafield = (namespace: string | undefined, key: string) => {
      const m = v.metafields.get(keyOf(storedNamespace(namespace, state), key));
      return m
        ? {
            __typename: "Metafield",
            id: gid("Metafield", v.id * 1000 + [...v.metafields.keys()].indexOf(keyOf(m.namespace, m.key))),
            ...m,
            jsonValue: m.type === "json" ? JSON.parse(m.value) : m.value,
          }
        : null;
    };
    return {
      __typename: "Validation",
      id: gid("Validation", v.id),
      title: v.title,
      enabled: v.enabled,
      blockOnFailure: v.blockOnFailure,
      shopifyFunction: { id: `fn-${fn.handle}`, handle: fn.handle, title: fn.title, apiType: fn.apiType, apiVersion: fn.apiVersion, appKey: state.app.apiKey },
      metafield: ({ namespace, key }: Args) => metafield(namespace as string | undefined, String(key)),
    };
  };
  const find = (id: unknown) => shop.validations.find((v) => v.id === parseGid(id, "Validation"));
  const tooMany = (except?: DevValidation) => shop.validations.filter((v) => v.enabled && v !== except).length >= MAX_ENABLED;
  const metafieldInputs = (inputs: unknown, v: DevValidation) => {
    for (const m of (inputs as { namespace?: string; key: string; type?: string; value: string }[] | undefined) ?? []) {
      const namespace = storedNamespace(m.namespace, state);
      v.metafields.set(keyOf(namespace, m.key), {
        namespace,
        key: m.key,
        type: m.type ?? "single_line_text_field",
        value: m.value,
        updatedAt: new Date().toISOString(),
      });
    }
  };
  return {
    validations: (args: PageArgs) => {
      requireScope(granted, "validations", "read_validations");
      return paginate(shop.validations.map(view), args);
    },
    validation: ({ id }: Args) => {
      requireScope(granted, "validation", "read_validations");
      const v = find(id);
      return v ? view(v) : null;
    },
    validationCreate: ({ validation }: Args) => {
      requireScope(granted, "validationCreate", "write_validations");
      const input = validation as {
        functionHandle?: string;
        functionId?: string;
        enable?: boolean;
        blockOnFailure?: boolean;
        title?: string;
        metafields?: unknown;
      };
      const err = (code: string, field: string[], message: string) => ({ validation: null, userErrors: [{ code, field, message }] });
      if (input.functionHandle && input.functionId)
        return err("MULTIPLE_FUNCTION_IDENTIFIERS", ["validation"], "Only one of functionId or functionHandle can be provided.");
      const handle = input.functionHandle ?? (input.functionId ? String(input.functionId).replace(/^fn-/, "") : undefined);
      if (!handle) return err("MISSING_FUNCTION_IDENTIFIER", ["validation"], "Either functionId or functionHandle must be provided.");
      const fn = functionOf(handle);
      if (!fn) return err("FUNCTION_NOT_FOUND", ["validation", input.functionHandle ? "functionHandle" : "functionId"], `Function ${handle} not found.`);
      if (fn.apiType !== "cart_checkout_validation")
        return err(
          "FUNCTION_DOES_NOT_IMPLEMENT",
          ["validation", "functionHandle"],
          "Function does not implement the required interface for this cart & checkout validation.",
        );
      const enabled = input.enable ?? false;
      if (enabled && tooMany())
        return err("MAX_VALIDATIONS_ACTIVATED", ["validation", "enable"], `Cannot have more than ${MAX_ENABLED} active validation functions.`);
      const created: DevValidation = {
        id: shop.nextId++,
        title: input.title ?? fn.title,
        functionHandle: fn.handle,
        enabled,
        blockOnFailure: input.blockOnFailure ?? false,
        metafields: new Map(),
      };
      metafieldInputs(input.metafields, created);
      shop.validations.push(created);
      return { validation: view(created), userErrors: [] };
    },
    validationUpdate: ({ id, validation }: Args) => {
      requireScope(granted, "validationUpdate", "write_validations");
      const v = find(id);
      if (!v) return { validation: null, userErrors: [{ code: "NOT_FOUND", field: ["id"], message: "Extension not found." }] };
      const input = validation as { enable?: boolean; blockOnFailure?: boolean; title?: string; metafields?: unknown };
      if (input.enable && !v.enabled && tooMany(v))
        return {
          validation: null,
          userErrors: [
            {
              code: "MAX_VALIDATIONS_ACTIVATED",
              field: ["validation", "enable"],
              message: `Cannot have more than ${MAX_ENABLED} active validation functions.`,
            },
          ],
        };
      if (input.enable !== undefined) v.enabled = input.enable;
      if (input.blockOnFailure !== undefined) v.blockOnFailure = input.blockOnFailure;
      if (input.title !== undefined) v.title = input.title;
      metafieldInputs(input.metafields, v);
      return { validation: view(v), userErrors: [] };
    },
    /** metafieldsSet, for the owners the dev store models: Validations. All or nothing, 25 at most. */
    metafieldsSet: ({ metafields }: Args) => {
      requireScope(granted, "metafieldsSet", "write_validations");
      const inputs = metafields as { ownerId: string; namespace?: string; key: string; type?: string; value: string }[];
      const userErrors: { field: string[]; message: string; code: string }[] = [];
      if (inputs.length > 25)
        userErrors.push({ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO" });
      const owners = inputs.map((m, i) => {
        const owner = /^gid:\/\/shopify\/Validation\/\d+$/.test(m.ownerId)
          ? shop.validations.find((v) => v.id === parseGid(m.ownerId, "Validation"))
          : undefined;
        if (!owner) userErrors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist.", code: "INVALID" });
        if (!m.type) userErrors.push({ field: ["metafields", String(i), "type"], message: "Type can't be blank.", code: "BLANK" });
        if (m.type === "json") {
          try {
            JSON.parse(m.value);
          } catch {
            userErrors.push({ field: ["metafields", String(i), "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" });
          }
        }
        return owner;
      });
      if (userErrors.length) return { metafields: [], userErrors };
      const set = inputs.map((m, i) => {
        metafieldInputs([m], owners[i]!);
        return view(owners[i]!).metafield({ namespace: m.namespace, key: m.key });
      });
      return { metafields: set, userErrors: [] };
    },
  };
}
