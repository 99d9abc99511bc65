import { useId } from "react";

export interface Series { key: string; label: string; color: string }
export interface Bar { label: string; values: Record<string, number>; note?: string }

/** A bar chart as inline SVG: it has a title and a description for screen readers, and the same
 * numbers as a table underneath (open by default on narrow screens via <details>), so nobody
 * needs to read the picture. Several series stack. */
export function BarChart({ title, description, bars, series, unit = "", max }: {
  title: string; description: string; bars: Bar[]; series: Series[]; unit?: string; max?: number;
}) {
  const id = useId();
  const W = 640, H = 220, left = 40, bottom = 40, top = 12;
  const totals = bars.map((b) => series.reduce((s, x) => s + (b.values[x.key] ?? 0), 0));
  const top_ = Math.max(1, max ?? Math.max(0, ...totals));
  const slot = bars.length ? (W - left - 8) / bars.length : 0;
  const barW = Math.max(4, Math.min(48, slot * 0.7));
  const y = (v: number) => top + (H - top - bottom) * (1 - v / top_);
  const ticks = [0, 0.5, 1].map((t) => Math.round(top_ * t));
  return (
    <figure className="op-chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="op-chart-title">{title}</figcaption>
      {bars.length === 0 ? <p className="op-muted">No data yet.</p> : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-st ${id}-d`} preserveAspectRatio="xMidYMid meet">
          <title id={`${id}-st`}>{title}</title>
          <desc id={`${id}-d`}>{description}</desc>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={W} y1={y(t)} y2={y(t)} stroke="#dfe5ee" />
              <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#5b6b80">{t}{unit}</text>
            </g>
          ))}
          {bars.map((b, i) => {
            let base = 0;
            const x = left + i * slot + (slot - barW) / 2;
            return (
              <g key={b.label} data-bar={b.label}>
                {series.map((s) => {
                  const v = b.values[s.key] ?? 0;
                  const r = <rect key={s.key} x={x} width={barW} y={y(base + v)} height={Math.max(0, y(base) - y(base + v))} fill={s.color}><title>{`${b.label} ${s.label}: ${v}${unit}`}</title></rect>;
                  base += v;
                  return r;
                })}
                <text x={x + barW / 2} y={H - bottom + 14} textAnchor="middle" fontSize="10" fill="#2b3a4e">{b.label.length > 8 ? b.label.slice(5) : b.label}</text>
              </g>
            );
          })}
        </svg>
      )}
      {series.length > 1 ? (
        <ul className="op-legend" aria-hidden="true">{series.map((s) => <li key={s.key}><span style={{ background: s.color }} />{s.label}</li>)}</ul>
      ) : null}
      <details className="op-chart-data">
        <summary>Data table</summary>
        <table className="ui-table" aria-label={`${title} data`}>
          <thead><tr><th scope="col">Item</th>{series.map((s) => <th key={s.key} scope="col">{s.label}</th>)}{bars.some((b) => b.note) ? <th scope="col">Detail</th> : null}</tr></thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}><th scope="row">{b.label}</th>{series.map((s) => <td key={s.key}>{b.values[s.key] ?? 0}{unit}</td>)}{b.note !== undefined ? <td>{b.note}</td> : null}</tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
