#!/usr/bin/env node
// Draws Patchbay's icons: renders main/assets/icon.svg (the app icon, hand-drawn) to PNG at 512
// and 1024 px (icon.png is what electron-builder uses), and composes the tray icons (one glyph:
// two jacks joined by a cable, plus a status badge) for every state and panel theme, and a macOS
// template variant per state, writing each as SVG and as PNG at 16 px (1x) and 32 px (2x, `@2x`).
// Run after changing a drawing:
//   node scripts/draw-icons.mjs
// The outputs are committed; tests check they exist with the right sizes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const root = resolve(import.meta.dirname, '..');
const assets = join(root, 'main', 'assets');
const trayDir = join(assets, 'tray');

const STATES = ['ok', 'attention', 'paused', 'offline'];
const THEMES = ['light', 'dark'];
const TRAY_SIZE = 16;

/** Glyph colour per panel theme: a dark glyph on light panels, a light one on dark panels. */
const INK = { light: '#1f2328', dark: '#f4f4f5' };
const BADGE = {
  attention: { fill: '#f5a524', mark: '#1f2328' },
  paused: { light: '#2563eb', dark: '#60a5fa', mark: '#ffffff' },
  offline: { fill: '#dc2626', mark: '#ffffff' },
};

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

/** The tray glyph on a 32 x 32 grid: two jacks (rings) whose cable hangs between them. */
function glyph(ink) {
  return [
    // Jacks: a ring with its socket hole (even-odd keeps the hole clear at 16 px).
    `<path fill="${ink}" fill-rule="evenodd" d="M8 2.5a6 6 0 1 1 0 12a6 6 0 1 1 0-12zM8 6.3a2.2 2.2 0 1 0 0 4.4a2.2 2.2 0 1 0 0-4.4z"/>`,
    `<path fill="${ink}" fill-rule="evenodd" d="M24 2.5a6 6 0 1 1 0 12a6 6 0 1 1 0-12zM24 6.3a2.2 2.2 0 1 0 0 4.4a2.2 2.2 0 1 0 0-4.4z"/>`,
    // The cable, from under one jack down and back up to the other.
    `<path fill="none" stroke="${ink}" stroke-width="3.6" stroke-linecap="round" d="M8 15.5C8 31 24 31 24 15.5"/>`,
  ].join('');
}

/** The status badge in the bottom-right corner (none for `ok`). */
function badge(state, theme) {
  const cx = 24.5;
  const cy = 24.5;
  if (state === 'attention') {
    const { fill, mark } = BADGE.attention;
    return `<circle cx="${cx}" cy="${cy}" r="7" fill="${fill}"/><rect x="${cx - 1.4}" y="${cy - 4.6}" width="2.8" height="5.6" rx="1.2" fill="${mark}"/><circle cx="${cx}" cy="${cy + 3.1}" r="1.5" fill="${mark}"/>`;
  }
  if (state === 'paused') {
    const fill = BADGE.paused[theme];
    const { mark } = BADGE.paused;
    return `<circle cx="${cx}" cy="${cy}" r="7" fill="${fill}"/><rect x="${cx - 3.4}" y="${cy - 3.6}" width="2.6" height="7.2" rx="0.8" fill="${mark}"/><rect x="${cx + 0.8}" y="${cy - 3.6}" width="2.6" height="7.2" rx="0.8" fill="${mark}"/>`;
  }
  if (state === 'offline') {
    const { fill, mark } = BADGE.offline;
    return `<circle cx="${cx}" cy="${cy}" r="7" fill="${fill}"/><rect x="${cx - 4.2}" y="${cy - 1.4}" width="8.4" height="2.8" rx="1" fill="${mark}"/>`;
  }
  return '';
}

/**
 * macOS template variant: black and alpha only (macOS tints it for the menu bar), so the badge is
 * a black disc with its mark cut out instead of a colour.
 */
function templateBadge(state) {
  const cx = 24.5;
  const cy = 24.5;
  const marks = {
    attention: `<rect x="${cx - 1.4}" y="${cy - 4.6}" width="2.8" height="5.6" rx="1.2"/><circle cx="${cx}" cy="${cy + 3.1}" r="1.5"/>`,
    paused: `<rect x="${cx - 3.4}" y="${cy - 3.6}" width="2.6" height="7.2" rx="0.8"/><rect x="${cx + 0.8}" y="${cy - 3.6}" width="2.6" height="7.2" rx="0.8"/>`,
    offline: `<rect x="${cx - 4.2}" y="${cy - 1.4}" width="8.4" height="2.8" rx="1"/>`,
  };
  if (!marks[state]) return '';
  return `<mask id="b"><circle cx="${cx}" cy="${cy}" r="7" fill="#fff"/><g fill="#000">${marks[state]}</g></mask><circle cx="${cx}" cy="${cy}" r="7" fill="#000" mask="url(#b)"/>`;
}

function trayTemplateSvg(state) {
  const hasBadge = state !== 'ok';
  const mask = hasBadge ? `<defs><mask id="m"><rect width="32" height="32" fill="#fff"/><circle cx="24.5" cy="24.5" r="9.2" fill="#000"/></mask></defs>` : '';
  const body = `<g${hasBadge ? ' mask="url(#m)"' : ''}${state === 'offline' ? ' opacity="0.5"' : ''}>${glyph('#000000')}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">${mask}${body}${templateBadge(state)}</svg>\n`;
}

function traySvg(state, theme) {
  const hasBadge = state !== 'ok';
  // The badge sits in a knocked-out circle so it reads apart from the glyph at 16 px.
  const mask = hasBadge
    ? `<defs><mask id="m"><rect width="32" height="32" fill="#fff"/><circle cx="24.5" cy="24.5" r="9.2" fill="#000"/></mask></defs>`
    : '';
  const body = `<g${hasBadge ? ' mask="url(#m)"' : ''}${state === 'offline' ? ' opacity="0.5"' : ''}>${glyph(INK[theme])}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">${mask}${body}${badge(state, theme)}</svg>\n`;
}

mkdirSync(trayDir, { recursive: true });
for (const state of STATES) {
  for (const theme of THEMES) {
    const svg = traySvg(state, theme);
    const name = `tray-${state}-${theme}`;
    writeFileSync(join(trayDir, `${name}.svg`), svg);
    writeFileSync(join(trayDir, `${name}.png`), render(svg, TRAY_SIZE));
    writeFileSync(join(trayDir, `${name}@2x.png`), render(svg, TRAY_SIZE * 2));
  }
}

for (const state of STATES) {
  const svg = trayTemplateSvg(state);
  const name = `tray-${state}Template`;
  writeFileSync(join(trayDir, `${name}.svg`), svg);
  writeFileSync(join(trayDir, `${name}.png`), render(svg, TRAY_SIZE));
  writeFileSync(join(trayDir, `${name}@2x.png`), render(svg, TRAY_SIZE * 2));
}

const appSvg = readFileSync(join(assets, 'icon.svg'), 'utf8');
writeFileSync(join(assets, 'icon.png'), render(appSvg, 1024));
writeFileSync(join(assets, 'icon-512.png'), render(appSvg, 512));
console.log(`drew ${STATES.length * (THEMES.length + 1) * 2} tray icons and the app icon in ${assets}`);
