import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { plural } from '../../format';
import { PasskeyRow } from './PasskeyRow';
import { ROW_HEIGHT } from './rows';
import type { Row } from './rows';
import { useStickySite } from './useStickySite';

interface PasskeyListProps {
  rows: Row[];
  selectedKey: string | null;
  onSelect: (key: string) => void;
  /** Delete key on the selected passkey. */
  onDeleteRequest: (key: string) => void;
  /** Enter on the selected passkey: move focus to its details. */
  onOpen: (key: string) => void;
}

const PAGE = 10;
const optionId = (position: number) => `passkey-option-${position}`;

/**
 * The passkeys as a single-select listbox, virtualized: only the rows in view (plus a few) are in the DOM, so
 * 10,000 passkeys scroll as smoothly as 10. Arrow keys, Page Up/Down, Home and End move the selection;
 * site and account headers are visual only (each option's name already says the account and site).
 */
export function PasskeyList({ rows, selectedKey, onSelect, onDeleteRequest, onOpen }: PasskeyListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const optionRows = useMemo(() => rows.flatMap((r, i) => (r.kind === 'passkey' ? [i] : [])), [rows]);
  const selectedIndex = useMemo(
    () => (selectedKey === null ? -1 : rows.findIndex((r) => r.kind === 'passkey' && r.key === selectedKey)),
    [rows, selectedKey],
  );
  const selectedRow = selectedIndex >= 0 ? rows[selectedIndex] : undefined;

  const estimateSize = useCallback((i: number) => ROW_HEIGHT[rows[i]?.kind ?? 'passkey'], [rows]);
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  // Keep the selected option rendered even when scrolled away, so aria-activedescendant always points at it.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      return selectedIndex >= 0 && !indexes.includes(selectedIndex)
        ? [...indexes, selectedIndex].sort((a, b) => a - b)
        : indexes;
    },
    [selectedIndex],
  );
  // TanStack Virtual hands out functions the React Compiler cannot memoise; this app does not use the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    rangeExtractor,
    overscan: 8,
    scrollPaddingStart: ROW_HEIGHT.site,
  });
  const stickySite = useStickySite(rows, virtualizer.getVirtualItems(), virtualizer.scrollOffset ?? 0);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const moveTo = (optionPosition: number) => {
    if (optionRows.length === 0) return;
    const clamped = Math.max(0, Math.min(optionRows.length - 1, optionPosition));
    const row = rows[optionRows[clamped]!];
    if (row) onSelect(row.key);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = selectedRow?.kind === 'passkey' ? selectedRow.position : -1;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowDown':
          moveTo(current + 1);
          return true;
        case 'ArrowUp':
          moveTo(current < 0 ? 0 : current - 1);
          return true;
        case 'PageDown':
          moveTo(current + PAGE);
          return true;
        case 'PageUp':
          moveTo(current - PAGE);
          return true;
        case 'Home':
          moveTo(0);
          return true;
        case 'End':
          moveTo(optionRows.length - 1);
          return true;
        case 'Enter':
          if (selectedKey) onOpen(selectedKey);
          return selectedKey !== null;
        case 'Delete':
          if (selectedKey) onDeleteRequest(selectedKey);
          return selectedKey !== null;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="passkey-list"
      role="listbox"
      tabIndex={0}
      aria-label={`Passkeys, ${plural(optionRows.length, 'passkey')}`}
      aria-activedescendant={selectedRow?.kind === 'passkey' ? optionId(selectedRow.position) : undefined}
      onKeyDown={onKeyDown}
    >
      {stickySite && (
        <div className="sticky-site" aria-hidden="true">
          <div className="group-site">
            <span className="group-site-name">{stickySite.rpId}</span>
            <span className="group-count">{plural(stickySite.count, 'passkey')}</span>
          </div>
        </div>
      )}
      <div className="passkey-list-sizer" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              className="virtual-row"
              data-index={item.index}
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {renderRow(row, row.key === selectedKey, optionRows.length, onSelect)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function renderRow(row: Row, selected: boolean, total: number, onSelect: (key: string) => void) {
  switch (row.kind) {
    case 'site':
      return (
        <div className="group-site" aria-hidden="true">
          <span className="group-site-name">{row.rpId}</span>
          <span className="group-count">{plural(row.count, 'passkey')}</span>
        </div>
      );
    case 'user':
      return (
        <div className="group-user" aria-hidden="true">
          {row.user}
          {row.count > 1 && <span className="group-count">· {plural(row.count, 'passkey')}</span>}
        </div>
      );
    case 'passkey':
      return (
        <PasskeyRow
          id={optionId(row.position)}
          rowKey={row.key}
          passkey={row.passkey}
          user={row.user}
          storeLabel={row.storeLabel}
          position={row.position}
          total={total}
          selected={selected}
          onSelect={onSelect}
        />
      );
  }
}
