import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAP, MARGIN, placePopover, taskbarEdge, type PopoverPlacementInput, type Rect } from '../../../../main/windows/popover-placement';

const size = { width: 380, height: 560 };
const place = (over: Partial<PopoverPlacementInput> & Pick<PopoverPlacementInput, 'platform' | 'workArea'>) =>
  placePopover({ trayBounds: null, cursor: { x: 0, y: 0 }, size, ...over });
const rect = (x: number, y: number, width: number, height: number): Rect => ({ x, y, width, height });

/** The popover lies inside the work area. */
function assertInside(p: { x: number; y: number }, wa: Rect): void {
  assert.ok(p.x >= wa.x && p.x + size.width <= wa.x + wa.width, `x ${p.x} inside ${JSON.stringify(wa)}`);
  assert.ok(p.y >= wa.y && p.y + size.height <= wa.y + wa.height, `y ${p.y} inside ${JSON.stringify(wa)}`);
  assert.ok(Number.isInteger(p.x) && Number.isInteger(p.y));
}

test('macOS: centred under the icon, just below the menu bar', () => {
  const wa = rect(0, 25, 1440, 875);
  const p = place({ platform: 'darwin', workArea: wa, trayBounds: rect(1200, 0, 22, 24) });
  assert.deepEqual(p, { x: 1211 - 190, y: 25 + GAP });
  assertInside(p, wa);
});

test('macOS: an icon near the screen edge keeps the popover inside the work area', () => {
  const wa = rect(0, 25, 1440, 875);
  assert.deepEqual(place({ platform: 'darwin', workArea: wa, trayBounds: rect(1420, 0, 22, 24) }), { x: 1440 - 380 - MARGIN, y: 29 });
  assert.deepEqual(place({ platform: 'darwin', workArea: wa, trayBounds: rect(10, 0, 22, 24) }), { x: MARGIN, y: 29 });
});

test('macOS: a menu bar on a display left of the primary one (negative x), odd sizes rounded', () => {
  const wa = rect(-1920, 25, 1920, 1055);
  const p = place({ platform: 'darwin', workArea: wa, trayBounds: rect(-300.5, 0, 23, 24) });
  assert.deepEqual(p, { x: Math.round(-300.5 + 11.5 - 190), y: 29 });
  assertInside(p, wa);
});

test('Windows: the taskbar edge from the tray bounds against the work area', () => {
  assert.equal(taskbarEdge(rect(1700, 1045, 24, 30), rect(0, 0, 1920, 1040)), 'bottom');
  assert.equal(taskbarEdge(rect(1800, 5, 24, 30), rect(0, 40, 1920, 1040)), 'top');
  assert.equal(taskbarEdge(rect(18, 1000, 24, 24), rect(60, 0, 1860, 1080)), 'left');
  assert.equal(taskbarEdge(rect(1878, 1000, 24, 24), rect(0, 0, 1860, 1080)), 'right');
  // Auto-hidden taskbar: the work area is the whole screen, the icon inside it near an edge.
  assert.equal(taskbarEdge(rect(1700, 1050, 24, 24), rect(0, 0, 1920, 1080)), 'bottom');
  assert.equal(taskbarEdge(rect(1890, 500, 24, 24), rect(0, 0, 1920, 1080)), 'right');
});

test('Windows, taskbar at the bottom: above the icon, centred, kept off the right edge', () => {
  const wa = rect(0, 0, 1920, 1040);
  assert.deepEqual(place({ platform: 'win32', workArea: wa, trayBounds: rect(1700, 1045, 24, 30) }), { x: 1712 - 190, y: 1040 - GAP - 560 });
  const corner = place({ platform: 'win32', workArea: wa, trayBounds: rect(1880, 1045, 24, 30) });
  assert.deepEqual(corner, { x: 1920 - 380 - MARGIN, y: 476 });
  assertInside(corner, wa);
});

test('Windows, taskbar at the top: below it', () => {
  const wa = rect(0, 40, 1920, 1040);
  const p = place({ platform: 'win32', workArea: wa, trayBounds: rect(1000, 5, 24, 30) });
  assert.deepEqual(p, { x: 1012 - 190, y: 40 + GAP });
  assertInside(p, wa);
});

test('Windows, taskbar on the left or right: beside it, bottom-aligned with the icon', () => {
  const left = rect(60, 0, 1860, 1080);
  assert.deepEqual(place({ platform: 'win32', workArea: left, trayBounds: rect(18, 1000, 24, 24) }), { x: 60 + GAP, y: 1024 - 560 });
  const rightWa = rect(0, 0, 1860, 1080);
  assert.deepEqual(place({ platform: 'win32', workArea: rightWa, trayBounds: rect(1878, 1000, 24, 24) }), { x: 1860 - GAP - 380, y: 464 });
  // An icon near the top of a side taskbar: pushed down into the work area.
  assert.deepEqual(place({ platform: 'win32', workArea: left, trayBounds: rect(18, 10, 24, 24) }), { x: 64, y: MARGIN });
});

test('Windows, multi-monitor: displays left of and above the primary one (negative coordinates)', () => {
  const leftOfPrimary = rect(-1920, 0, 1920, 1040);
  const p = place({ platform: 'win32', workArea: leftOfPrimary, trayBounds: rect(-200, 1045, 24, 30) });
  assert.deepEqual(p, { x: -1920 + 1920 - 380 - MARGIN, y: 1040 - GAP - 560 });
  assertInside(p, leftOfPrimary);

  const abovePrimary = rect(0, -1080, 1920, 1040);
  const q = place({ platform: 'win32', workArea: abovePrimary, trayBounds: rect(1000, -35, 24, 30) });
  assert.deepEqual(q, { x: 1012 - 190, y: -40 - GAP - 560 });
  assertInside(q, abovePrimary);
});

test('Windows with an auto-hidden taskbar: from the nearest edge, inside the work area', () => {
  const wa = rect(0, 0, 1920, 1080);
  assert.deepEqual(place({ platform: 'win32', workArea: wa, trayBounds: rect(1700, 1050, 24, 24) }), { x: 1522, y: 1050 - GAP - 560 });
});

test('Linux without bounds, cursor on a top panel: under the cursor', () => {
  const wa = rect(0, 27, 1920, 1053);
  for (const trayBounds of [null, rect(0, 0, 0, 0)]) {
    assert.deepEqual(place({ platform: 'linux', workArea: wa, trayBounds, cursor: { x: 1700, y: 10 } }), { x: 1510, y: 27 + GAP });
  }
  // Near the right end of the panel: kept inside.
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: 1910, y: 10 } }), { x: 1920 - 380 - MARGIN, y: 31 });
});

test('Linux, cursor on a bottom, left or right panel: opens from that edge', () => {
  assert.deepEqual(place({ platform: 'linux', workArea: rect(0, 0, 1920, 1040), cursor: { x: 100, y: 1060 } }), { x: MARGIN, y: 1040 - GAP - 560 });
  // Ubuntu's dock on the left: centred on the cursor.
  assert.deepEqual(place({ platform: 'linux', workArea: rect(70, 27, 1850, 1053), cursor: { x: 30, y: 500 } }), { x: 70 + GAP, y: 220 });
  assert.deepEqual(place({ platform: 'linux', workArea: rect(0, 0, 1860, 1080), cursor: { x: 1900, y: 500 } }), { x: 1860 - GAP - 380, y: 220 });
});

test('Linux, cursor not on a panel (inside the work area, or on another display): top-right corner with a margin', () => {
  const wa = rect(0, 27, 1920, 1053);
  const corner = { x: 1920 - 380 - MARGIN, y: 27 + MARGIN };
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: 800, y: 600 } }), corner);
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: 3000, y: 500 } }), corner);
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: -1500, y: 10 } }), corner);
});

test('Linux on a display left of the primary one (negative x)', () => {
  const wa = rect(-1920, 27, 1920, 1053);
  const p = place({ platform: 'linux', workArea: wa, cursor: { x: -600, y: 10 } });
  assert.deepEqual(p, { x: -790, y: 31 });
  assertInside(p, wa);
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: -100, y: 10 } }), { x: -380 - MARGIN, y: 31 }, 'kept off the right edge at x = 0');
  assertInside(p, wa);
  assert.deepEqual(place({ platform: 'linux', workArea: wa, cursor: { x: -1000, y: 500 } }), { x: -380 - MARGIN, y: 35 });
});

test('Linux with real tray bounds (some desktops give them): placed as on Windows', () => {
  assert.deepEqual(place({ platform: 'linux', workArea: rect(0, 27, 1920, 1053), trayBounds: rect(1000, 2, 22, 22), cursor: { x: 0, y: 0 } }), { x: 1011 - 190, y: 31 });
});

test('a popover larger than the work area starts at its top-left corner', () => {
  const wa = rect(-800, -600, 800, 600);
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    const p = placePopover({ platform, trayBounds: rect(-100, -20, 20, 20), cursor: { x: -50, y: -10 }, workArea: wa, size: { width: 1000, height: 900 } });
    assert.deepEqual(p, { x: -800, y: -600 }, platform);
  }
});

test('every placement stays inside the work area (a sweep of icons and cursors over three displays)', () => {
  const displays = [rect(0, 0, 1920, 1040), rect(-1280, 27, 1280, 997), rect(1920, -300, 1080, 1880)];
  let checked = 0;
  for (const wa of displays) {
    for (let fx = -0.1; fx <= 1.1; fx += 0.1) {
      for (let fy = -0.1; fy <= 1.1; fy += 0.1) {
        const x = wa.x + wa.width * fx;
        const y = wa.y + wa.height * fy;
        for (const platform of ['darwin', 'win32', 'linux'] as const) {
          assertInside(place({ platform, workArea: wa, trayBounds: rect(x, y, 24, 24), cursor: { x, y } }), wa);
          assertInside(place({ platform, workArea: wa, trayBounds: null, cursor: { x, y } }), wa);
          checked += 2;
        }
      }
    }
  }
  assert.ok(checked > 800, String(checked));
});
