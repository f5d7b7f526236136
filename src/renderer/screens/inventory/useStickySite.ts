import { useMemo } from 'react';
import type { VirtualItem } from '@tanstack/react-virtual';
import type { Row } from './rows';

type SiteRow = Extract<Row, { kind: 'site' }>;

/**
 * The site whose header has scrolled out of view above the first visible row, so the list can keep it pinned
 * at the top (in a long list the header of the current site is otherwise far away). Null when that header shows.
 */
export function useStickySite(rows: Row[], items: VirtualItem[], scrollOffset: number): SiteRow | null {
  // For each row, the index of its site header: one pass per list, then O(1) per scroll frame.
  const siteIndex = useMemo(() => {
    const out = new Int32Array(rows.length);
    let current = -1;
    rows.forEach((r, i) => {
      if (r.kind === 'site') current = i;
      out[i] = current;
    });
    return out;
  }, [rows]);

  const top = items.find((i) => i.end > scrollOffset);
  if (!top) return null;
  const headerIndex = siteIndex[top.index] ?? -1;
  const header = rows[headerIndex];
  if (header?.kind !== 'site') return null;
  // The header itself is (at least partly) visible: no need to pin a copy.
  const headerItem = items.find((i) => i.index === headerIndex);
  if (headerItem && headerItem.start >= scrollOffset) return null;
  return header;
}
