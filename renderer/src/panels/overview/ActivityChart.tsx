/**
 * Requests and 429s over the last 10 minutes (10-second bars, uPlot), from the stats samples
 * the store keeps since the page opened. Colours come from the theme's CSS variables.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { bucketHistory } from '../../store/stats-history';
import { usePatchbay } from '../../store/use-patchbay';

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function options(width: number): uPlot.Options {
  const bars = uPlot.paths.bars!({ size: [0.7, 12] });
  const axis = { stroke: cssVar('--text-faint'), grid: { stroke: cssVar('--border'), width: 1 }, ticks: { show: false }, font: '11px system-ui' };
  return {
    width,
    height: 120,
    legend: { show: false },
    cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
    axes: [axis, { ...axis, size: 36, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }],
    series: [
      {},
      { label: 'requests', stroke: cssVar('--accent'), fill: cssVar('--accent-soft'), paths: bars, points: { show: false } },
      { label: '429s', stroke: cssVar('--warn'), fill: cssVar('--warn'), paths: bars, points: { show: false } },
    ],
  };
}

export function ActivityChart() {
  const history = usePatchbay((s) => s.history);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [dark, setDark] = useState(() => window.matchMedia('(prefers-color-scheme: dark)').matches);

  useEffect(() => {
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setDark(scheme.matches);
    scheme.addEventListener('change', onChange);
    return () => scheme.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const b = bucketHistory(history, Date.now());
    const u = new uPlot(options(el.clientWidth || 600), [b.times, b.requests, b.rateLimited], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 120 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Built again only when the colour scheme changes; data updates go through setData below.
  }, [dark]);

  const buckets = useMemo(() => bucketHistory(history, now), [history, now]);
  useEffect(() => {
    plot.current?.setData([buckets.times, buckets.requests, buckets.rateLimited]);
  }, [buckets]);

  const total = buckets.requests.reduce((a, b) => a + b, 0);
  const limited = buckets.rateLimited.reduce((a, b) => a + b, 0);
  return (
    <section className="card chart-card" aria-label="Requests in the last 10 minutes">
      <header className="card-head">
        <h3>Last 10 minutes</h3>
        <span className="legend">
          <span className="swatch swatch-accent" aria-hidden="true" /> requests <span className="num">{total}</span>
          <span className="swatch swatch-warn" aria-hidden="true" /> 429s <span className="num">{limited}</span>
        </span>
      </header>
      <div ref={box} className="chart" role="img" aria-label={`${total} requests and ${limited} rate-limited answers in the last 10 minutes`} />
    </section>
  );
}
