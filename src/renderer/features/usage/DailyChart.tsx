// Tokens (bars) and cost (line) per day, drawn by uPlot: a ~50 kB canvas chart library that
// draws thousands of points in a few milliseconds and has no dependencies. React owns the
// container; the chart is rebuilt when the data, size or theme changes.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageRow } from '../../../shared/ipc';
import { formatCost, formatTokens } from '../../lib/format';
import { dayDomain, dayLabel, daySeconds, dayTicks } from './dayDomain';

function cssColor(host: HTMLElement, name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  host.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

export function DailyChart({ days }: { days: UsageRow[] }) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [theme, setTheme] = useState(0);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    const themes = new MutationObserver(() => setTheme((t) => t + 1));
    themes.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => (observer.disconnect(), themes.disconnect());
  }, []);

  useEffect(() => {
    const el = host.current;
    if (!el || width === 0 || days.length === 0) return;
    const x = daySeconds(days.map((d) => d.key));
    const domain = dayDomain(x);
    const tokens = days.map((d) => d.tokensIn + d.tokensOut);
    const cost = days.map((d) => d.costUsd);
    const text = cssColor(el, '--text-muted');
    const grid = cssColor(el, '--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const chart = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: () => [domain[0], domain[1]] }, tokens: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }, cost: { range: (_u, _min, max) => [0, Math.max(0.01, max) * 1.1] } },
        axes: [
          // Day starts only, labelled by date: the data are per day, so hour ticks meant nothing.
          { ...axis, splits: () => dayTicks(domain, Math.max(1, Math.floor(width / 110))), values: (_u, ticks) => ticks.map(dayLabel) },
          { ...axis, scale: 'tokens', values: (_u, ticks) => ticks.map((t) => formatTokens(t)), size: 56 },
          { ...axis, scale: 'cost', side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => formatCost(t)), size: 64 },
        ],
        series: [
          { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
          {
            label: 'Tokens',
            scale: 'tokens',
            stroke: cssColor(el, '--tl-model'),
            fill: cssColor(el, '--tl-model'),
            paths: uPlot.paths.bars!({ size: [0.6, 48] }),
            value: (_u, v) => (v === null ? '' : formatTokens(v)),
          },
          { label: 'Cost', scale: 'cost', stroke: cssColor(el, '--tl-tool'), width: 2, value: (_u, v) => (v === null ? '' : formatCost(v)) },
        ],
      },
      [x, tokens, cost],
      el,
    );
    return () => chart.destroy();
  }, [days, width, theme]);

  return <div ref={host} className="usage-chart" aria-hidden="true" data-testid="usage-chart" />;
}
