/**
 * Incidents per day, stacked by type, with a brushable date range: drag to select, drag the
 * selection to move it, drag an edge to resize; the two edges are sliders for the keyboard.
 */
import { type KeyboardEvent, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { DailyCounts } from '../../api/types.ts';
import { addDays, daysBetween, formatCount, formatDay, plural } from '../../app/format.ts';
import { INCIDENT_TYPES, typeStyle } from '../../domain/vocabulary.ts';

type Props = {
  counts: DailyCounts | null;
  from: string | null;
  to: string | null;
  onChange(from: string | null, to: string | null): void;
};

const HEIGHT = 112;
const AXIS = 18;
const PAD_X = 12;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO days compare as strings. */
const earlier = (a: string, b: string) => (a <= b ? a : b);
const later = (a: string, b: string) => (a >= b ? a : b);

type Drag = {
  mode: 'new' | 'move' | 'from' | 'to';
  originDay: string;
  startFrom: string;
  startTo: string;
  from: string;
  to: string;
};

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    if (!ref.current) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, Math.floor(entry!.contentRect.width))),
    );
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

export function Timeline({ counts, from, to, onChange }: Props) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const [drag, setDrag] = useState<Drag | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);

  const extent = useMemo(() => {
    const days = [counts?.first, counts?.last, from, to].filter((d): d is string => Boolean(d)).sort();
    const start = days[0] ?? new Date().toISOString().slice(0, 10);
    const end = days.at(-1) ?? start;
    // At least a month wide, with a day's margin either side.
    const span = Math.max(daysBetween(start, end), 30);
    return { start: addDays(start, -1), end: addDays(start, span + 1) };
  }, [counts, from, to]);

  const totalDays = daysBetween(extent.start, extent.end) + 1;
  const plotWidth = width - PAD_X * 2;
  const xOf = (day: string) => PAD_X + (daysBetween(extent.start, day) / totalDays) * plotWidth;
  const dayAt = (x: number) => {
    const offset = Math.round(((x - PAD_X) / plotWidth) * totalDays - 0.5);
    return addDays(extent.start, Math.min(totalDays - 1, Math.max(0, offset)));
  };

  const bins = useMemo(() => {
    const binDays = Math.max(1, Math.ceil(totalDays / (plotWidth / 4)));
    const map = new Map<number, Record<string, number>>();
    for (const row of counts?.days ?? []) {
      const index = Math.floor(daysBetween(extent.start, row.day) / binDays);
      const bin = map.get(index) ?? {};
      for (const [type, n] of Object.entries(row.counts)) bin[type] = (bin[type] ?? 0) + n;
      map.set(index, bin);
    }
    let max = 0;
    for (const bin of map.values())
      max = Math.max(
        max,
        Object.values(bin).reduce((a, b) => a + b, 0),
      );
    return { binDays, map, max };
  }, [counts, extent.start, totalDays, plotWidth]);

  const ticks = useMemo(() => {
    const out: { day: string; label: string }[] = [];
    const start = new Date(`${extent.start}T00:00:00Z`);
    const monthsPerTick = Math.max(1, Math.ceil(totalDays / 30.4 / (plotWidth / 70)));
    const cursor = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    while (cursor.toISOString().slice(0, 10) <= extent.end) {
      if (cursor.getUTCMonth() % monthsPerTick === 0) {
        const month = cursor.getUTCMonth();
        out.push({
          day: cursor.toISOString().slice(0, 10),
          label:
            month === 0 || out.length === 0 ? `${MONTHS[month]} ${cursor.getUTCFullYear()}` : MONTHS[month]!,
        });
      }
      cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    }
    return out;
  }, [extent, totalDays, plotWidth]);

  const shown = drag ? { from: drag.from, to: drag.to } : from && to ? { from, to } : null;
  const barHeight = HEIGHT - AXIS - 8;
  const binWidth = (bins.binDays / totalDays) * plotWidth;

  const localX = (event: PointerEvent) => event.clientX - (svgRef.current?.getBoundingClientRect().left ?? 0);

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    const day = dayAt(localX(event));
    const target = (event.target as Element).getAttribute('data-brush');
    let mode: Drag['mode'] = 'new';
    if (shown && target === 'from') mode = 'from';
    else if (shown && target === 'to') mode = 'to';
    else if (shown && target === 'selection') mode = 'move';
    (event.currentTarget as SVGSVGElement).setPointerCapture(event.pointerId);
    const startFrom = shown?.from ?? day;
    const startTo = shown?.to ?? day;
    setDrag({ mode, originDay: day, startFrom, startTo, from: startFrom, to: startTo });
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const day = dayAt(localX(event));
    setDrag((d) => {
      if (!d) return d;
      if (d.mode === 'new')
        return {
          ...d,
          ...(day < d.originDay ? { from: day, to: d.originDay } : { from: d.originDay, to: day }),
        };
      if (d.mode === 'move') {
        const shift = daysBetween(d.originDay, day);
        return { ...d, from: addDays(d.startFrom, shift), to: addDays(d.startTo, shift) };
      }
      if (d.mode === 'from') return { ...d, from: earlier(day, d.to) };
      return { ...d, to: later(day, d.from) };
    });
  };
  const onPointerUp = () => {
    if (!drag) return;
    const clicked = drag.mode === 'new' && drag.from === drag.to;
    setDrag(null);
    // A click without a drag clears the range.
    if (clicked) onChange(null, null);
    else onChange(drag.from, drag.to);
  };

  const onHandleKey = (edge: 'from' | 'to') => (event: KeyboardEvent) => {
    const current = { from: from ?? extent.start, to: to ?? extent.end };
    const step = event.key === 'PageUp' || event.key === 'PageDown' ? 7 : 1;
    const sign = event.key === 'ArrowLeft' || event.key === 'ArrowDown' || event.key === 'PageDown' ? -1 : 1;
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'].includes(event.key)) {
      event.preventDefault();
      if (event.shiftKey) onChange(addDays(current.from, sign * step), addDays(current.to, sign * step));
      else if (edge === 'from') {
        const next = addDays(current.from, sign * step);
        onChange(earlier(next, current.to), current.to);
      } else {
        const next = addDays(current.to, sign * step);
        onChange(current.from, later(next, current.from));
      }
    } else if (event.key === 'Escape' || event.key === 'Delete') {
      event.preventDefault();
      onChange(null, null);
    }
  };

  const sum = (d: { counts: Record<string, number> }) => Object.values(d.counts).reduce((a, b) => a + b, 0);
  const total = (counts?.days ?? []).reduce((n, d) => n + sum(d), 0);
  const inRange = shown
    ? (counts?.days ?? [])
        .filter((d) => d.day >= shown.from && d.day <= shown.to)
        .reduce((n, d) => n + sum(d), 0)
    : total;

  return (
    <section className="timeline" aria-label="Timeline">
      <header className="timeline-head">
        <h2 className="section-title">Timeline</h2>
        <span className="timeline-summary" aria-live="polite">
          {shown ? (
            <>
              <strong>
                {formatDay(shown.from)} – {formatDay(shown.to)}
              </strong>{' '}
              · {plural(daysBetween(shown.from, shown.to) + 1, 'day')} · {formatCount(inRange)} of{' '}
              {plural(total, 'incident')}
            </>
          ) : (
            <>All dates · {plural(total, 'incident')} · drag across the chart to select a period</>
          )}
        </span>
        {shown ? (
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => onChange(null, null)}
          >
            Clear dates
          </button>
        ) : null}
        <span className="timeline-bin">{bins.binDays === 1 ? 'per day' : `per ${bins.binDays} days`}</span>
      </header>
      <div ref={ref} className="timeline-plot">
        <svg
          ref={svgRef}
          width={width}
          height={HEIGHT}
          className={drag ? 'is-dragging' : undefined}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(null)}
          role="img"
          aria-label={`Incidents per ${bins.binDays === 1 ? 'day' : `${bins.binDays} days`} from ${formatDay(extent.start)} to ${formatDay(extent.end)}, stacked by type.`}
        >
          <rect className="timeline-hit" x={0} y={0} width={width} height={HEIGHT} />
          {[...bins.map.entries()].map(([index, bin]) => {
            let y = barHeight + 4;
            const x = PAD_X + ((index * bins.binDays) / totalDays) * plotWidth;
            return (
              <g key={index}>
                {INCIDENT_TYPES.filter((t) => bin[t]).map((type) => {
                  const h = Math.max(1, ((bin[type] ?? 0) / (bins.max || 1)) * barHeight);
                  y -= h;
                  return (
                    <rect
                      key={type}
                      x={x + 0.5}
                      y={y}
                      width={Math.max(1, binWidth - 1)}
                      height={h}
                      fill={typeStyle(type).color}
                    />
                  );
                })}
              </g>
            );
          })}
          <line
            className="timeline-axis"
            x1={PAD_X}
            x2={width - PAD_X}
            y1={barHeight + 4.5}
            y2={barHeight + 4.5}
          />
          {ticks.map((tick) => (
            <g
              key={tick.day}
              className="timeline-tick"
              transform={`translate(${xOf(tick.day)},${barHeight + 4})`}
            >
              <line y1={0} y2={4} />
              <text y={15} x={2}>
                {tick.label}
              </text>
            </g>
          ))}
          <text className="timeline-max" x={PAD_X} y={10}>
            {formatCount(bins.max)}
          </text>
          {shown ? (
            <g className="brush">
              <rect
                className="brush-shade"
                x={PAD_X}
                y={0}
                width={Math.max(0, xOf(shown.from) - PAD_X)}
                height={barHeight + 4}
              />
              <rect
                className="brush-shade"
                x={xOf(addDays(shown.to, 1))}
                y={0}
                width={Math.max(0, width - PAD_X - xOf(addDays(shown.to, 1)))}
                height={barHeight + 4}
              />
              <rect
                className="brush-selection"
                data-brush="selection"
                x={xOf(shown.from)}
                y={0}
                width={Math.max(2, xOf(addDays(shown.to, 1)) - xOf(shown.from))}
                height={barHeight + 4}
              />
              <rect
                className="brush-handle"
                data-brush="from"
                x={xOf(shown.from) - 4}
                y={0}
                width={8}
                height={barHeight + 4}
              />
              <rect
                className="brush-handle"
                data-brush="to"
                x={xOf(addDays(shown.to, 1)) - 4}
                y={0}
                width={8}
                height={barHeight + 4}
              />
            </g>
          ) : null}
        </svg>
        <div className="brush-keys">
          <button
            type="button"
            role="slider"
            className="brush-key"
            aria-label="Start of the period"
            aria-valuemin={0}
            aria-valuemax={totalDays}
            aria-valuenow={daysBetween(extent.start, from ?? extent.start)}
            aria-valuetext={from ? formatDay(from) : 'all dates'}
            onKeyDown={onHandleKey('from')}
          >
            From: {from ? formatDay(from) : 'start'}
          </button>
          <button
            type="button"
            role="slider"
            className="brush-key"
            aria-label="End of the period"
            aria-valuemin={0}
            aria-valuemax={totalDays}
            aria-valuenow={daysBetween(extent.start, to ?? extent.end)}
            aria-valuetext={to ? formatDay(to) : 'all dates'}
            onKeyDown={onHandleKey('to')}
          >
            To: {to ? formatDay(to) : 'end'}
          </button>
          <span className="hint">← → a day · PgUp/PgDn a week · Shift moves both · Esc clears</span>
        </div>
      </div>
    </section>
  );
}
