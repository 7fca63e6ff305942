import { Center, Loader, Skeleton, Table, Text, UnstyledButton, type MantineStyleProp } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './VirtualTable.module.css';

/** The part of mantine-datatable's column that this table uses, so the same column lists serve both. */
export interface VirtualColumn<T> {
  accessor: string | number | symbol;
  title?: ReactNode;
  sortable?: boolean;
  textAlign?: 'left' | 'center' | 'right';
  width?: string | number;
  hidden?: boolean;
  render?: (record: T, index: number) => ReactNode;
  cellsStyle?: (record: T, index: number) => MantineStyleProp | undefined;
}

export interface SortStatus<K extends string> {
  columnAccessor: K;
  direction: 'asc' | 'desc';
}

interface Props<T, K extends string> {
  columns: VirtualColumn<T>[];
  /** Rows in the list; null while the first answer is awaited. */
  count: number | null;
  rowAt: (index: number) => T | undefined;
  /** Called with the rows in view (plus overscan) whenever they change. */
  onRange?: (start: number, end: number) => void;
  rowKey: (record: T, index: number) => string | number;
  onRowClick?: (record: T) => void;
  sortStatus?: SortStatus<K>;
  onSortStatusChange?: (s: SortStatus<K>) => void;
  /** Scrolls back to the top when this changes (new filters or sort). */
  resetKey?: string;
  rowHeight?: number;
  /** The scroll area's height; it shrinks to fit a short list. */
  maxHeight?: CSSProperties['maxHeight'];
  minWidth?: number;
  emptyText: string;
  testId?: string;
  rowProps?: (record: T) => Record<string, string>;
}

const OVERSCAN = 8;

/** The first and last row index in view of a scroll container of fixed-height rows. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = OVERSCAN): [number, number] {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [start, Math.max(start, end)];
}

/**
 * A table that puts only the rows in view into the DOM, with spacers for the rest, and asks for the rows it
 * shows (onRange). Rows have one fixed height; long text is cut with an ellipsis and shown whole on hover.
 */
export function VirtualTable<T, K extends string = string>(p: Props<T, K>) {
  const { t } = useTranslation();
  const rowHeight = p.rowHeight ?? 38;
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const columns = p.columns.filter((c) => !c.hidden);
  const count = p.count ?? 0;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, []);

  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
  }, [p.resetKey]);

  const [start, end] = visibleRange(view.top, view.height, rowHeight, count);
  const { onRange } = p;
  useEffect(() => {
    if (end > start) onRange?.(start, end);
  }, [onRange, start, end]);

  const sortBy = (c: VirtualColumn<T>) => {
    if (!c.sortable || !p.onSortStatusChange) return;
    const key = String(c.accessor) as K;
    const same = p.sortStatus?.columnAccessor === key;
    p.onSortStatusChange({ columnAccessor: key, direction: same && p.sortStatus?.direction === 'asc' ? 'desc' : 'asc' });
  };

  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const r = p.rowAt(i);
    rows.push(
      <Table.Tr
        key={r ? p.rowKey(r, i) : `pending-${i}`}
        className={classes.row}
        data-index={i}
        data-odd={i % 2 === 1 || undefined}
        style={{ height: rowHeight, cursor: r && p.onRowClick ? 'pointer' : undefined }}
        onClick={r && p.onRowClick ? () => p.onRowClick!(r) : undefined}
        {...(r && p.rowProps ? p.rowProps(r) : {})}
      >
        {columns.map((c) => {
          if (!r) {
            return (
              <Table.Td key={String(c.accessor)} className={classes.cell}>
                <Skeleton height={10} radius="sm" />
              </Table.Td>
            );
          }
          const content = c.render ? c.render(r, i) : String((r as Record<string | number | symbol, unknown>)[c.accessor] ?? '');
          return (
            <Table.Td key={String(c.accessor)} className={classes.cell} ta={c.textAlign} style={c.cellsStyle?.(r, i)} title={typeof content === 'string' ? content : undefined}>
              {content}
            </Table.Td>
          );
        })}
      </Table.Tr>,
    );
  }

  return (
    <div ref={ref} className={classes.scroll} style={{ maxHeight: p.maxHeight ?? 'calc(100dvh - 300px)' }} data-testid={p.testId} data-total={p.count ?? undefined}>
      <Table fz="sm" highlightOnHover layout="fixed" miw={p.minWidth} className={classes.table}>
        <Table.Thead className={classes.head}>
          <Table.Tr>
            {columns.map((c) => {
              const key = String(c.accessor);
              const sorted = p.sortStatus?.columnAccessor === key ? p.sortStatus.direction : null;
              return (
                <Table.Th key={key} w={c.width} ta={c.textAlign} aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : c.sortable ? 'none' : undefined}>
                  {c.sortable && p.onSortStatusChange ? (
                    <UnstyledButton className={classes.sort} onClick={() => sortBy(c)} data-align={c.textAlign}>
                      <span>{c.title}</span>
                      <span className={classes.arrow} data-active={!!sorted || undefined} aria-hidden>
                        {sorted === 'desc' ? '▼' : sorted === 'asc' ? '▲' : '⇅'}
                      </span>
                    </UnstyledButton>
                  ) : (
                    c.title
                  )}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {start > 0 && <tr aria-hidden style={{ height: start * rowHeight }} />}
          {rows}
          {end < count && <tr aria-hidden style={{ height: (count - end) * rowHeight }} />}
        </Table.Tbody>
      </Table>
      {p.count === null && (
        <Center py="lg">
          <Loader size="sm" aria-label={t('app.loading')} />
        </Center>
      )}
      {p.count === 0 && (
        <Text c="dimmed" size="sm" ta="center" py="xl">
          {p.emptyText}
        </Text>
      )}
    </div>
  );
}
