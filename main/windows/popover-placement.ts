/**
 * Where the tray popover goes (its top-left corner), from what the platform tells about the tray:
 *
 * - macOS: the menu bar is at the top; the popover hangs centred under the icon.
 * - Windows: the taskbar may be at any edge. The tray's bounds lie on it, outside the work area:
 *   whichever side of the work area they are on is the taskbar's edge (with an auto-hidden
 *   taskbar they lie inside it: the nearest edge). The popover opens above a bottom taskbar,
 *   below a top one, and beside a left or right one (bottom-aligned with the icon).
 * - Linux: a StatusNotifier icon has no bounds (null or all zeros). When the cursor is just
 *   outside the work area it is on a panel (the click that opened us): the popover opens from
 *   that edge next to the cursor; otherwise in the work area's top-right corner. Real bounds, where
 *   a desktop gives them, are used as on Windows.
 *
 * The result is always kept inside the work area (`MARGIN` from its free edges), in integer pixels.
 * Coordinates may be negative (a display left of or above the primary one).
 */
export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Point, Size {}

export interface PopoverPlacementInput {
  platform: NodeJS.Platform;
  /** tray.getBounds(); null or empty where the platform does not say. */
  trayBounds: Rect | null;
  cursor: Point;
  /** The work area of the display the tray (or, without bounds, the cursor) is on. */
  workArea: Rect;
  size: Size;
}

export type Edge = 'top' | 'bottom' | 'left' | 'right';

/** Space between the icon's panel and the popover. */
export const GAP = 4;
/** Space kept from the work area's edges the popover is not anchored to. */
export const MARGIN = 8;
/** How far outside the work area the cursor may be and still be on one of its panels. */
export const PANEL_BAND = 120;

export function placePopover(input: PopoverPlacementInput): Point {
  const { trayBounds, workArea: wa, size } = input;
  const tray = trayBounds && trayBounds.width > 0 && trayBounds.height > 0 ? trayBounds : null;
  if (tray) {
    const edge = input.platform === 'darwin' ? 'top' : taskbarEdge(tray, wa);
    return clampToWorkArea(besideEdge(edge, tray, wa, size), size, wa, edge);
  }
  const edge = panelEdgeAt(input.cursor, wa);
  if (edge) {
    const at = besideEdge(edge, { ...input.cursor, width: 0, height: 0 }, wa, size);
    // A vertical panel: centre on the cursor rather than bottom-align to it.
    if (edge === 'left' || edge === 'right') at.y = input.cursor.y - size.height / 2;
    return clampToWorkArea(at, size, wa, edge);
  }
  return clampToWorkArea({ x: right(wa) - size.width - MARGIN, y: wa.y + MARGIN }, size, wa, null);
}

/** The work-area edge the taskbar holding `tray` is on. */
export function taskbarEdge(tray: Rect, wa: Rect): Edge {
  const cx = tray.x + tray.width / 2;
  const cy = tray.y + tray.height / 2;
  if (cy >= bottom(wa)) return 'bottom';
  if (cy <= wa.y) return 'top';
  if (cx >= right(wa)) return 'right';
  if (cx <= wa.x) return 'left';
  // Inside the work area (an auto-hidden taskbar): the nearest edge.
  const distances: Array<[Edge, number]> = [
    ['bottom', bottom(wa) - cy],
    ['top', cy - wa.y],
    ['right', right(wa) - cx],
    ['left', cx - wa.x],
  ];
  return distances.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
}

/** The panel edge the cursor is on: just outside the work area; null when inside it or far off (another display). */
function panelEdgeAt(cursor: Point, wa: Rect): Edge | null {
  const withinX = cursor.x >= wa.x - PANEL_BAND && cursor.x < right(wa) + PANEL_BAND;
  const withinY = cursor.y >= wa.y - PANEL_BAND && cursor.y < bottom(wa) + PANEL_BAND;
  if (!withinX || !withinY) return null;
  if (cursor.y < wa.y) return 'top';
  if (cursor.y >= bottom(wa)) return 'bottom';
  if (cursor.x < wa.x) return 'left';
  if (cursor.x >= right(wa)) return 'right';
  return null;
}

/** Next to `anchor` on the work-area side of `edge`, centred (top/bottom) or bottom-aligned (left/right). */
function besideEdge(edge: Edge, anchor: Rect, wa: Rect, size: Size): Point {
  const cx = anchor.x + anchor.width / 2;
  switch (edge) {
    case 'top':
      return { x: cx - size.width / 2, y: Math.max(anchor.y + anchor.height, wa.y) + GAP };
    case 'bottom':
      return { x: cx - size.width / 2, y: Math.min(anchor.y, bottom(wa)) - GAP - size.height };
    case 'left':
      return { x: Math.max(anchor.x + anchor.width, wa.x) + GAP, y: anchor.y + anchor.height - size.height };
    case 'right':
      return { x: Math.min(anchor.x, right(wa)) - GAP - size.width, y: anchor.y + anchor.height - size.height };
  }
}

/**
 * Inside the work area: `MARGIN` from the edges along the anchored one (the anchored axis itself
 * already sits `GAP` from its edge). A popover larger than the work area starts at its top-left.
 */
function clampToWorkArea(p: Point, size: Size, wa: Rect, anchoredEdge: Edge | null): Point {
  const marginX = anchoredEdge === 'left' || anchoredEdge === 'right' ? 0 : MARGIN;
  const marginY = anchoredEdge === 'top' || anchoredEdge === 'bottom' ? 0 : MARGIN;
  return {
    x: Math.round(clamp(p.x, wa.x + marginX, right(wa) - size.width - marginX, wa.x)),
    y: Math.round(clamp(p.y, wa.y + marginY, bottom(wa) - size.height - marginY, wa.y)),
  };
}

function clamp(value: number, min: number, max: number, whenTooLarge: number): number {
  if (max < min) return whenTooLarge;
  return Math.min(Math.max(value, min), max);
}

function right(r: Rect): number {
  return r.x + r.width;
}

function bottom(r: Rect): number {
  return r.y + r.height;
}
