// What Shopify's GraphQL endpoints do around execution: validate against the schema with
// Shopify-shaped errors, compute a query's cost, and page through connections.
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

export interface ShopifyGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Parses and validates a document; returns Shopify-style errors when it does not validate. */
export function parseAndValidate(schema: GraphQLSchema, source: string): { document?: DocumentNode; errors?: ShopifyGraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    const e = error as GraphQLError;
    return {
      errors: [
        {
          message: e.message.replace(/^Syntax Error: /, "syntax error, "),
          locations: e.locations ? [...e.locations] : undefined,
          extensions: { code: "parseError" },
        },
      ],
    };
  }
  const errors = validate(schema, document);
  if (errors.length) return { errors: errors.map(shopifyValidationError) };
  return { document };
}

// Shopify words its validation errors differently from graphql-js; the common ones are mapped.
function shopifyValidationError(e: GraphQLError): ShopifyGraphQLError {
  const locations = e.locations ? [...e.locations] : undefined;
  let m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(e.message);
  if (m)
    return { message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, locations, extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] } };
  m = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(e.message);
  if (m)
    return {
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      locations,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    };
  m = /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(e.message);
  if (m)
    return {
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      locations,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    };
  m = /^Variable "\$(.+?)" of required type "(.+?)" was not provided\./.exec(e.message);
  if (m)
    return {
      message: `Variable $${m[1]} of type ${m[2]} was provided invalid value`,
      locations,
      extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
    };
  return { message: e.message, locations, extensions: { code: "invalidQuery" } };
}

export function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
}

/**
 * Shopify's calculated query cost: scalars and enums 0, objects 1, connections 2 plus the
 * page size times the cost of one node, mutations 10; a union or interface costs the most
 * expensive of its possible selections (fragments narrowing to one type are alternatives, not
 * a sum). Requested cost is what the bucket must hold before the query runs.
 */
export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;

  const argValue = (field: FieldNode, name: string): unknown => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };

  const selectionCost = (type: GraphQLCompositeType, set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let total = 0;
    const alternatives = new Map<string, number>();
    const fragmentCost = (condition: string | undefined, inner: SelectionSetNode) => {
      const t = condition ? (schema.getType(condition) as GraphQLCompositeType) : type;
      const cost = selectionCost(t, inner);
      if (!condition || condition === type.name) total += cost;
      else alternatives.set(condition, (alternatives.get(condition) ?? 0) + cost);
    };
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith("__")) continue;
        const fieldDef: GraphQLField<unknown, unknown> | undefined = isObjectType(type) || isInterfaceType(type) ? type.getFields()[sel.name.value] : undefined;
        if (!fieldDef) continue;
        total += fieldCost(sel, fieldDef);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        fragmentCost(sel.typeCondition?.name.value, sel.selectionSet);
      } else {
        const frag = fragments.get(sel.name.value);
        if (frag) fragmentCost(frag.typeCondition.name.value, frag.selectionSet);
      }
    }
    return total + Math.max(0, ...alternatives.values());
  };

  const fieldCost = (field: FieldNode, def: GraphQLField<unknown, unknown>): number => {
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) return 0;
    const children = selectionCost(named, field.selectionSet);
    if (named.name.endsWith("Connection")) {
      const size = Number(argValue(field, "first") ?? argValue(field, "last") ?? 0);
      return 2 + Math.max(size, 1) * Math.max(children - 1, 1);
    }
    const nullable = getNullableType(def.type);
    const list = isListType(nullable) ? 1 : 0;
    return 1 + children + list;
  };

  if (op.operation === "mutation") {
    let total = 0;
    for (const sel of op.selectionSet.selections)
      if (sel.kind === Kind.FIELD) {
        const def = root.getFields()[sel.name.value];
        const named = def ? getNamedType(def.type) : undefined;
        total += 10 + (named && isCompositeType(named) ? selectionCost(named, sel.selectionSet) : 0);
      }
    return total;
  }
  return selectionCost(root, op.selectionSet);
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const encodeCursor = (index: number) => Buffer.from(JSON.stringify({ last_id: index })).toString("base64");
const decodeCursor = (cursor: string): number => {
  try {
    return Number(JSON.parse(Buffer.from(cursor, "base64").toString("utf8")).last_id);
  } catch {
    throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
  }
};

/** Cursor pagination as Shopify does it: `first` or `last` is required, at most 250. */
export function paginate<T>(all: T[], args: PageArgs): Page<T> {
  const { first, last, after, before, reverse } = args;
  if (first == null && last == null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  if ((first ?? 0) > 250 || (last ?? 0) > 250) throw new GraphQLError("The maximum page size is 250", { extensions: { code: "BAD_REQUEST" } });
  const items = reverse ? [...all].reverse() : all;
  let start = after ? decodeCursor(after) + 1 : 0;
  let end = before ? decodeCursor(before) : items.length;
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const slice = items.slice(start, end).map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    edges: slice,
    nodes: slice.map((e) => e.node),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice[slice.length - 1]?.cursor ?? null,
    },
  };
}

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

export function parseGid(value: unknown, type: string): number {
  const m = typeof value === "string" ? /^gid:\/\/shopify\/(\w+)\/(\d+)/.exec(value) : null;
  if (!m || m[1] !== type) throw new GraphQLError(`Invalid global id '${String(value)}'`, { extensions: { code: "RESOURCE_NOT_FOUND" } });
  return Number(m[2]);
}
