// The console's own layout; colours, type and spacing come from @airline/ui's tokens.
export const opsCss = `
.op{display:flex;flex-direction:column;gap:var(--s4)}
.op-muted{color:var(--c-muted);font-size:.9rem}
.op-mono{font-family:var(--font-mono)}
.op-tabs{display:flex;gap:var(--s2);flex-wrap:wrap;margin:0;padding:0;list-style:none}
.op-tabs a{display:inline-block;font-weight:600;padding:8px 14px;border-radius:999px;border:1px solid var(--c-line);background:var(--c-surface);color:var(--c-ink-soft);text-decoration:none}
.op-tabs a[aria-current="page"]{background:var(--c-brand);border-color:var(--c-brand);color:#fff}
.op-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:var(--s3);align-items:start}
.op-end{align-self:end}
.op-toggle{display:flex;flex-wrap:wrap;gap:var(--s2);border:0;padding:0;margin:0}
.op-toggle legend{font-weight:600;margin-bottom:var(--s2);width:100%}
.op-toggle label{display:inline-flex;gap:6px;align-items:center;padding:6px 12px;border:1px solid var(--c-line);border-radius:999px;cursor:pointer;font-weight:600;color:var(--c-ink-soft);background:#fff}
.op-toggle label.on{border-color:var(--c-brand);background:var(--c-brand-soft);color:var(--c-brand-strong)}
.op-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;position:relative}
.op-actions{display:flex;gap:6px;flex-wrap:wrap}
.op-actions .ui-btn{padding:4px 10px;font-size:.85rem}
.op-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:var(--s4);margin-top:var(--s4)}
.op-chart{margin:0;border:1px solid var(--c-line);border-radius:var(--r-md);padding:var(--s3);background:#fff}
.op-chart svg{width:100%;height:auto;display:block}
.op-chart-title{font-weight:700;margin-bottom:var(--s2)}
.op-chart-data summary{cursor:pointer;color:var(--c-brand-strong);font-weight:600;margin-top:var(--s2)}
.op-legend{display:flex;flex-wrap:wrap;gap:var(--s3);list-style:none;padding:0;margin:var(--s2) 0 0;font-size:.85rem}
.op-legend span{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.op-timeline{width:100%;height:auto;display:block}
.op-panel{margin-top:var(--s4);padding:var(--s4);border:1px solid var(--c-line);border-radius:var(--r-md);background:var(--c-canvas)}
.op-panel h3{margin:0 0 var(--s2)}
.op-body{max-width:360px;font-size:.85rem}
.op-totals{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 var(--s3)}
.op-totals dt{color:var(--c-muted)}
.op-totals dd{margin:0;font-weight:600}
.op-list{margin:0;padding-left:1.1em}
.op-buttons{display:flex;gap:var(--s2);flex-wrap:wrap}
.op-confirm{padding:var(--s3);border:2px solid var(--c-brand);border-radius:var(--r-md);background:#fff}
.op-confirm p{margin:0}
.op-layout{border:1px solid var(--c-line);border-radius:var(--r-md);padding:var(--s3);display:flex;flex-direction:column;gap:var(--s3);min-width:0}
.op-layout legend{font-weight:700;padding:0 6px}
.op-cabin{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:var(--s2);align-items:start;padding-bottom:var(--s2);border-bottom:1px dashed var(--c-line)}
.op-seatmap{margin:0;border:1px solid var(--c-line);border-radius:var(--r-md);padding:var(--s3);background:#fff;max-height:480px;overflow-y:auto}
.op-seatmap figcaption{margin-bottom:var(--s2)}
.op-seatrow{display:flex;align-items:center;gap:14px;margin:2px 0;white-space:nowrap}
.op-seatgroup{display:inline-flex;gap:3px}
.op-rowno{display:inline-block;width:2.2em;text-align:right;font-family:var(--font-mono);font-size:.8rem;color:var(--c-muted)}
.op-seat{width:26px;height:26px;padding:0;border:1px solid #6b7a8f;border-radius:5px 5px 3px 3px;background:var(--c-brand-soft);color:var(--c-brand-strong);font-size:.7rem;font-weight:700;cursor:pointer}
.op-vip .op-seat{width:32px;background:#fdf1d8;border-color:#8a6414;color:#5c420b}
.op-seat[aria-pressed="true"]{background:#e3e8ef;color:#3d4a5c;text-decoration:line-through;border-style:dashed}
.op-seat:disabled{cursor:default}
.op-exit{font-size:.7rem;font-weight:700;color:#8a1c26;text-transform:uppercase}
@media (max-width:600px){.op-grid{grid-template-columns:1fr}}
`;
