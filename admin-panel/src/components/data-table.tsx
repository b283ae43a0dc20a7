/**
 * The one list component: typed columns, loading / error / empty states, a pager, and on a phone
 * (below the `sm` breakpoint) one card per row listing "label: value", so nothing is clipped.
 * On wider screens the table scrolls sideways inside `Table.ScrollContainer` rather than clipping,
 * and says so ("scroll sideways") whenever it is wider than the space it has.
 */
import { Box, Card, Group, Stack, Table, Text, em, px, useMantineTheme } from "@mantine/core";
import { useMediaQuery, useResizeObserver } from "@mantine/hooks";
import { useLayoutEffect, useRef, useState, type Key, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n";
import { Pager, type Paging } from "./pager";
import { Empty, ErrorState, Loading, type EmptyAction } from "./query-state";

export type Column<T> = {
  /** Unique within the table (the React key of the cell). */
  key: string;
  /** The column header, and the label on a phone card unless `cardLabel` says otherwise. */
  header?: string;
  cell: (row: T) => ReactNode;
  /** The label on a phone card; `null` shows the value alone, across the card (e.g. action buttons). */
  cardLabel?: string | null;
  /** Order on a phone card, lowest first (columns without one keep their order, after those with one). */
  cardPriority?: number;
  /** Left off the phone card (when another column already says it). Empty cells are left off anyway. */
  hideOnCard?: boolean;
  /** Table cell width (e.g. 170). */
  width?: number | string;
  align?: "left" | "right";
};

export type DataTableProps<T> = {
  columns: Column<T>[];
  /** The rows; `undefined` while there are none to show yet (loading, or failed). */
  rows: T[] | undefined;
  rowKey: (row: T) => Key;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Without it the whole list is shown and no pager. */
  paging?: Paging;
  /** What an empty list says (what to do next), and optionally a button that does it. */
  emptyMessage?: ReactNode;
  emptyAction?: EmptyAction;
  /** Below this width the desktop table scrolls sideways. */
  minWidth?: number;
  striped?: boolean;
  /** Names the table (and the list of cards) for screen readers. */
  label?: string;
};

/** True below the `sm` breakpoint, where tables become cards (the same breakpoint as the burger menu). */
export function usePhoneLayout(): boolean {
  const theme = useMantineTheme();
  const sm = Number(px(theme.breakpoints.sm));
  return useMediaQuery(`(max-width: ${em(sm - 0.1)})`, false, { getInitialValueInEffect: false });
}

/** The loading / error / empty decision shared by both layouts; `null` when there are rows to show. */
function ListState<T>({ rows, loading, error, onRetry, emptyMessage, emptyAction }: DataTableProps<T>) {
  if (rows === undefined) {
    return loading || !error ? <Loading /> : <ErrorState error={error} onRetry={onRetry} />;
  }
  if (rows.length === 0) return <Empty action={emptyAction}>{emptyMessage}</Empty>;
  return null;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const phone = usePhoneLayout();
  const { rows, paging } = props;
  if (rows === undefined || rows.length === 0) return <ListState {...props} />;
  return (
    <>
      {phone ? <CardList {...props} rows={rows} /> : <DesktopTable {...props} rows={rows} />}
      {paging && <Pager {...paging} />}
    </>
  );
}

/** Whether the table is wider than its box (so part of it is out of sight until scrolled). */
function useOverflows(rows: unknown) {
  const [boxRef, rect] = useResizeObserver<HTMLDivElement>();
  const tableRef = useRef<HTMLTableElement>(null);
  const [overflows, setOverflows] = useState(false);
  // Measured again when the box is resized and when the rows change (a new page can be wider).
  useLayoutEffect(() => {
    const box = boxRef.current;
    const table = tableRef.current;
    if (box && table) setOverflows(table.scrollWidth > box.clientWidth + 1);
  }, [boxRef, rect.width, rows]);
  return { boxRef, tableRef, overflows };
}

function DesktopTable<T>({ columns, rows, rowKey, minWidth = 640, striped = true, label }: DataTableProps<T> & { rows: T[] }) {
  const { t } = useI18n();
  const hasHeaders = columns.some((c) => c.header);
  const { boxRef, tableRef, overflows } = useOverflows(rows);
  return (
    <Box ref={boxRef} data-table>
      {overflows && (
        <Text size="xs" c="dimmed" ta="right" data-scroll-hint>
          {t.common.scrollHint}
        </Text>
      )}
    <Table.ScrollContainer minWidth={minWidth}>
      <Table ref={tableRef} striped={striped} highlightOnHover aria-label={label}>
        {hasHeaders && (
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} w={c.width} ta={c.align}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
        )}
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((c) => (
                <Table.Td key={c.key} w={c.width} ta={c.align}>
                  {c.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
    </Box>
  );
}

/** The columns a phone card shows, in card order. */
export function cardColumns<T>(columns: Column<T>[]): Column<T>[] {
  const rank = (c: Column<T>, i: number) => c.cardPriority ?? columns.length + i;
  return columns
    .map((c, i) => ({ c, r: rank(c, i) }))
    .filter(({ c }) => !c.hideOnCard)
    .sort((a, b) => a.r - b.r)
    .map(({ c }) => c);
}

function CardList<T>({ columns, rows, rowKey, label }: DataTableProps<T> & { rows: T[] }) {
  const shown = cardColumns(columns);
  return (
    <Stack gap="xs" role="list" aria-label={label}>
      {rows.map((row) => (
        <Card key={rowKey(row)} withBorder padding="sm" role="listitem">
          <Stack gap={6}>
            {shown.map((c) => {
              const content = c.cell(row);
              // A label with nothing after it says nothing (a desktop cell may stay empty).
              if (content === null || content === undefined || content === false || content === "") return null;
              const cardLabel = c.cardLabel === undefined ? c.header : c.cardLabel;
              const value = <Box style={{ minWidth: 0, flex: 1, overflowWrap: "anywhere" }}>{content}</Box>;
              return cardLabel ? (
                <Group key={c.key} gap="sm" wrap="nowrap" align="flex-start">
                  <Text size="sm" c="dimmed" w="38%" style={{ flexShrink: 0 }}>
                    {cardLabel}
                  </Text>
                  {value}
                </Group>
              ) : (
                <Box key={c.key}>{value}</Box>
              );
            })}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

/** The rows and states of a TanStack query answering a list page (`{ items, total }`). */
export function queryTableProps<T>(query: {
  data: { items: T[] } | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}): Pick<DataTableProps<T>, "rows" | "loading" | "error" | "onRetry"> {
  return {
    rows: query.data?.items,
    loading: query.isPending,
    error: query.error,
    onRetry: () => void query.refetch(),
  };
}
