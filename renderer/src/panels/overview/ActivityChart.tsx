/**
 * Requests and 429s over the last 10 minutes in 10-second bars (uPlot), derived from the
 * request rows, so it is filled from the log as soon as the page opens. Colours come from the
 * theme's CSS variables; the plot is built again when the colour scheme changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { activityOf } from '../../store/activity';
import { usePatchbay } from '../../store/use-patchbay';

const HEIGHT = 120;
const hhmm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function options(width: number): uPlot.Options {
  const bars = uPlot.paths.bars!({ size: [0.7, 10] });
  const axis = { stroke: cssVar('--text-faint'), grid: { stroke: cssVar('--border'), width: 1 }, ticks: { show: false }, font: '11px system-ui' };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
    axes: [
      { ...axis, size: 22, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => hhmm.format(new Date(t * 1000))) },
      { ...axis, size: 32, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
    ],
    series: [
      {},
      { label: 'requests', fill: cssVar('--accent'), width: 0, paths: bars, points: { show: false } },
      { label: '429s', fill: cssVar('--warn'), width: 0, paths: bars, points: { show: false } },
    ],
  };
}

export function ActivityChart() {
  const rows = usePatchbay((s) => s.log.rows);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [dark, setDark] = useState(() => window.matchMedia('(prefers-color-scheme: dark)').matches);

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 5_000);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => setDark(scheme.matches);
    scheme.addEventListener('change', onScheme);
    return () => {
      clearInterval(tick);
      scheme.removeEventListener('change', onScheme);
    };
  }, []);

  const activity = useMemo(() => activityOf(rows, now), [rows, now]);
  const latest = useRef(activity);
  latest.current = activity;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const a = latest.current;
    const u = new uPlot(options(el.clientWidth || 600), [a.times, a.requests, a.rateLimited], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [dark]);

  useEffect(() => {
    plot.current?.setData([activity.times, activity.requests, activity.rateLimited]);
  }, [activity]);

  const total = activity.requests.reduce((a, b) => a + b, 0);
  const limited = activity.rateLimited.reduce((a, b) => a + b, 0);
  return (
    <section className="card chart-card" aria-label="Requests in the last 10 minutes">
      <header className="card-head">
        <h3>Last 10 minutes</h3>
        <span className="legend">
          <span className="swatch swatch-accent" aria-hidden="true" /> requests <span className="num">{total}</span>
          <span className="swatch swatch-warn" aria-hidden="true" /> 429s <span className="num">{limited}</span>
        </span>
      </header>
      <div ref={box} className="chart" role="img" aria-label={`${total} requests and ${limited} answered 429 in the last 10 minutes`} />
    </section>
  );
}
