// The shop's cart and checkout validation: Holdfast's Function (extensions/holdfast-validation)
// switched on in the shop, created at install and kept as the merchant set it. What it does
// when the Function cannot run (an error, a timeout) is the merchant's choice: let checkouts
// through (Shopify's default) or block them (decision 021).
import db from "../db.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { VALIDATION_FUNCTION_HANDLE } from "../../extensions/holdfast-validation/src/contract";

export { VALIDATION_FUNCTION_HANDLE };

const TITLE = "Holdfast stock holds";

export const SHOP_VALIDATIONS = `#graphql
  query HoldfastValidations($after: String) {
    validations(first: 25, after: $after) {
      nodes { id enabled blockOnFailure shopifyFunction { handle } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const VALIDATION_CREATE = `#graphql
  mutation HoldfastValidationCreate($validation: ValidationCreateInput!) {
    validationCreate(validation: $validation) {
      validation { id enabled blockOnFailure }
      userErrors { code field message }
    }
  }
`;

export const VALIDATION_UPDATE = `#graphql
  mutation HoldfastValidationUpdate($id: ID!, $validation: ValidationUpdateInput!) {
    validationUpdate(id: $id, validation: $validation) {
      validation { id enabled blockOnFailure }
      userErrors { code field message }
    }
  }
`;

export interface ShopValidation {
  id: string;
  enabled: boolean;
  blockOnFailure: boolean;
}

export class ValidationSetupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ValidationSetupError";
  }
}

type Node = ShopValidation & { shopifyFunction: { handle: string } };

/** Holdfast's validation in the shop, if there is one. */
export async function findValidation(admin: AdminGraphqlClient): Promise<ShopValidation | null> {
  let after: string | null = null;
  for (;;) {
    const page: { data: { validations: { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await adminGraphql(
      admin,
      SHOP_VALIDATIONS,
      { after },
    );
    const { data } = page;
    const ours = data.validations.nodes.find((n) => n.shopifyFunction.handle === VALIDATION_FUNCTION_HANDLE);
    if (ours) return { id: ours.id, enabled: ours.enabled, blockOnFailure: ours.blockOnFailure };
    if (!data.validations.pageInfo.hasNextPage) return null;
    after = data.validations.pageInfo.endCursor;
  }
}

/**
 * Makes the shop's validation exist, enabled, with the merchant's failure mode: created the
 * first time (at install), updated when it differs, left alone otherwise. Safe to call again.
 */
export async function ensureValidation(shop: string, admin: AdminGraphqlClient): Promise<ShopValidation> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { validationBlockOnFailure: true } });
  const blockOnFailure = row?.validationBlockOnFailure ?? false;
  const current = await findValidation(admin);
  if (current && current.enabled && current.blockOnFailure === blockOnFailure) return current;
  const answer = current
    ? (
        await adminGraphql<{ validationUpdate: { validation: ShopValidation | null; userErrors: { code: string; message: string }[] } }>(
          admin,
          VALIDATION_UPDATE,
          {
            id: current.id,
            validation: { enable: true, blockOnFailure },
          },
        )
      ).data.validationUpdate
    : (
        await adminGraphql<{ validationCreate: { validation: ShopValidation | null; userErrors: { code: string; message: string }[] } }>(
          admin,
          VALIDATION_CREATE,
          {
            validation: { functionHandle: VALIDATION_FUNCTION_HANDLE, enable: true, blockOnFailure, title: TITLE },
          },
        )
      ).data.validationCreate;
  if (!answer.validation) {
    const [first] = answer.userErrors;
    throw new ValidationSetupError(
      first?.code ?? "UNKNOWN",
      `Shopify did not switch on the stock check: ${answer.userErrors.map((e) => e.message).join("; ")}`,
    );
  }
  return answer.validation;
}

/** The merchant's failure mode: "allow" lets checkouts through when the Function fails, "block" stops them. */
export type ValidationFailureMode = "allow" | "block";

export async function readValidationFailureMode(shop: string): Promise<ValidationFailureMode> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { validationBlockOnFailure: true } });
  return row?.validationBlockOnFailure ? "block" : "allow";
}

/** Saves the failure mode and applies it to the shop's validation. */
export async function saveValidationFailureMode(
  shop: string,
  admin: AdminGraphqlClient,
  mode: unknown,
): Promise<{ ok: true; validation: ShopValidation } | { ok: false; error: string }> {
  if (mode !== "allow" && mode !== "block") return { ok: false, error: "Choose whether to let checkouts through or block them" };
  await db.shop.updateMany({ where: { domain: shop }, data: { validationBlockOnFailure: mode === "block" } });
  return { ok: true, validation: await ensureValidation(shop, admin) };
}
