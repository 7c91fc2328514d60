// A table that fits a phone: Polaris's DataTable on wider screens; at phone width each row is a
// short list of "heading: value" lines, as a wide table there scrolls sideways in a region that
// keyboard users cannot reach (axe: scrollable-region-focusable).
import { BlockStack, Box, DataTable, Text, useBreakpoints, type DataTableProps } from "@shopify/polaris";

type Cell = string | number;

export function ResponsiveTable({
  headings,
  rows,
  columnContentTypes,
}: {
  headings: string[];
  rows: Cell[][];
  columnContentTypes: DataTableProps["columnContentTypes"];
}) {
  const { smDown } = useBreakpoints();
  if (!smDown) return <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} />;
  return (
    <BlockStack gap="200" as="ul">
      {rows.map((row, i) => (
        <Box as="li" key={i} paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border">
          <BlockStack gap="050">
            {row.map((cell, j) =>
              cell === "" ? null : (
                <Text as="p" key={j} breakWord>
                  <Text as="span" tone="subdued">
                    {headings[j]}:
                  </Text>{" "}
                  {cell}
                </Text>
              ),
            )}
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}
