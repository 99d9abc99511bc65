// The booking screens' own layout; colours, type and spacing come from @airline/ui's tokens.
export const bookingCss = `
.bk{display:flex;flex-direction:column;gap:var(--s4)}
.bk-muted{color:var(--c-muted);font-size:.9rem}
.bk-mono{font-family:var(--font-mono)}
.bk-gap{margin-top:var(--s3)}
.bk-step-title{outline:none}
.bk-tabs{display:flex;gap:var(--s2);flex-wrap:wrap}
.bk-tabs a,.bk-tabs button{font:inherit;padding:8px 14px;border-radius:999px;border:1px solid var(--c-line);background:var(--c-surface);color:var(--c-ink-soft);text-decoration:none;cursor:pointer;font-weight:600}
.bk-tabs a[aria-current="page"],.bk-tabs .on{background:var(--c-brand);border-color:var(--c-brand);color:#fff}
.bk-toggle{display:flex;flex-wrap:wrap;gap:var(--s2);border:0;padding:0;margin:0}
.bk-toggle label{display:inline-flex;gap:6px;align-items:center;padding:8px 14px;border:1px solid var(--c-line);border-radius:999px;cursor:pointer;font-weight:600;color:var(--c-ink-soft);background:#fff}
.bk-toggle label.on{border-color:var(--c-brand);background:var(--c-brand-soft);color:var(--c-brand-strong)}
.bk-toggle input{accent-color:var(--c-brand)}
.bk-toggle-gap{flex:0 0 var(--s4)}
.bk-offer-body{display:flex;gap:var(--s5);flex-wrap:wrap;justify-content:space-between}
.bk-offer-legs{flex:1 1 320px;display:flex;flex-direction:column;gap:var(--s2)}
.bk-offer-price{flex:0 1 280px;display:flex;flex-direction:column;gap:var(--s2)}
.bk-leg{display:grid;grid-template-columns:90px 110px 1fr auto;gap:var(--s2);align-items:baseline;padding:var(--s2) 0;border-bottom:1px dashed var(--c-line)}
.bk-leg-label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--c-muted);font-weight:700}
.bk-leg-times strong{font-size:1.2rem}
.bk-leg-number{font-family:var(--font-mono);color:var(--c-ink-soft)}
.bk-breakdown td:last-child{text-align:right}
.bk-total{display:flex;justify-content:space-between;align-items:baseline;font-size:1.1rem;padding:var(--s2) 0}
.bk-total .ui-money{font-size:1.4rem;color:var(--c-brand-strong)}
.bk-facts{color:var(--c-ink-soft);padding-left:1.2em}
.bk-nav{display:flex;gap:var(--s3);justify-content:flex-end;flex-wrap:wrap;margin-top:var(--s3)}
.bk-pax{display:flex;flex-wrap:wrap;gap:var(--s2);margin-bottom:var(--s4)}
.bk-pax button{font:inherit;text-align:left;padding:8px 12px;border-radius:var(--r-md);border:1px solid var(--c-line);background:#fff;cursor:pointer;display:flex;gap:8px;align-items:baseline}
.bk-pax button.on{border-color:var(--c-accent);box-shadow:0 0 0 2px var(--c-accent) inset}
.bk-seatmap{display:flex;flex-direction:column;gap:var(--s3)}
.bk-legend{display:flex;flex-wrap:wrap;gap:var(--s3);font-size:.85rem;color:var(--c-ink-soft);align-items:center}
.bk-legend span{display:inline-flex;gap:6px;align-items:center}
.bk-legend .bk-seat{width:18px;height:18px;min-height:0;border-radius:4px}
.bk-live{margin-left:auto;font-weight:700}
.bk-live--live{color:var(--c-success)}
.bk-live--reconnecting,.bk-live--connecting{color:var(--c-warning)}
.bk-plane{overflow-x:auto;padding:var(--s3);background:linear-gradient(180deg,#eef3f8,#f8fafc);border-radius:120px 120px var(--r-lg) var(--r-lg);border:1px solid var(--c-line)}
.bk-cabin{display:flex;flex-direction:column;align-items:center;gap:6px;padding:var(--s3) 0}
.bk-cabin-title{font-size:.8rem;text-transform:uppercase;letter-spacing:.08em;color:var(--c-muted);font-weight:700;margin:var(--s2) 0;display:block}
.bk-cell{display:inline-flex}
.bk-plane:focus-within{outline:2px solid transparent}
.bk-seat:focus-visible{outline:3px solid var(--c-accent);outline-offset:2px}
.bk-row{display:flex;align-items:center;gap:6px}
.bk-row--exit{padding:4px 0;border-top:2px dashed #f3c36b;border-bottom:2px dashed #f3c36b}
.bk-rownum{width:24px;text-align:right;font-size:.75rem;color:var(--c-muted);font-variant-numeric:tabular-nums}
.bk-aisle{width:22px}
.bk-exit-mark{font-style:normal;font-size:.6rem;font-weight:800;color:var(--c-warning);letter-spacing:.05em}
.bk-seat{position:relative;display:inline-grid;place-items:center;width:36px;height:36px;border-radius:8px 8px 5px 5px;border:1px solid transparent;font:inherit;font-size:.75rem;font-weight:700;cursor:pointer;padding:0}
.bk-seat--free{background:#fff;border-color:#9db8d3;color:var(--c-brand)}
.bk-seat--free:hover:not(:disabled){background:var(--c-brand-soft)}
.bk-seat--off{background:#fff;border-color:#9db8d3;color:var(--c-brand);opacity:.45;cursor:not-allowed}
.bk-seat--mine{background:var(--c-brand);color:#fff}
.bk-seat--held{background:var(--c-warning-soft);border-color:#f0c36d;color:var(--c-warning);cursor:not-allowed}
.bk-seat--taken{background:#dfe5ec;color:#9aa8b8;cursor:not-allowed}
.bk-check{display:flex;gap:8px;align-items:center;font-weight:600;color:var(--c-ink-soft)}
.bk-check input{accent-color:var(--c-brand);width:18px;height:18px}
.bk-days{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(92px,1fr));gap:var(--s2)}
.bk-days button{font:inherit;width:100%;display:flex;flex-direction:column;gap:2px;align-items:center;padding:8px 6px;border:1px solid var(--c-line);border-radius:var(--r-md);background:#fff;cursor:pointer;color:var(--c-ink)}
.bk-days button.on{border-color:var(--c-brand);box-shadow:0 0 0 2px var(--c-brand) inset;background:var(--c-brand-soft)}
.bk-days button:disabled{cursor:not-allowed;color:var(--c-muted)}
.bk-day-date{font-size:.8rem}
.bk-day-price{font-weight:700;font-variant-numeric:tabular-nums}
.bk-hold-actions{display:inline-flex;margin-left:var(--s3);vertical-align:middle}
.bk-hold-error{display:block;margin-top:var(--s2);font-weight:600}
.bk-bags h3{margin-top:var(--s3)}
.bk-confirm{text-align:left}
.bk-pnr-label{margin:var(--s4) 0 0;color:var(--c-muted);text-transform:uppercase;font-size:.8rem;letter-spacing:.08em}
.bk-pnr{font-family:var(--font-mono);font-size:2.6rem;font-weight:800;letter-spacing:.12em;color:var(--c-brand-strong);margin:0 0 var(--s4)}
.bk-trips{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:var(--s2)}
.bk-trip{font:inherit;width:100%;text-align:left;padding:10px 12px;border:1px solid var(--c-line);border-radius:var(--r-md);background:#fff;cursor:pointer;display:flex;gap:10px;align-items:center}
.bk-change-leg{align-items:center;justify-content:space-between}
.bk-change-leg>*{flex:0 1 auto}
.bk-change-leg .bk-nav{margin-top:0}
.bk-change{padding:var(--s3);border:1px dashed var(--c-line);border-radius:var(--r-md)}
.bk-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.bk-found-head{display:flex;gap:var(--s3);align-items:center;justify-content:space-between}
@media (max-width:600px){
  .bk-leg{grid-template-columns:1fr auto;row-gap:2px}
  .bk-leg-times{grid-column:1/-1}
  .bk-seat{width:32px;height:32px}
  .bk-aisle{width:14px}
  .bk-plane{border-radius:60px 60px var(--r-md) var(--r-md);padding:var(--s2)}
  .ui-table{font-size:.85rem}
}
.bk-passes{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:var(--s3)}
.bk-pass{display:flex;gap:var(--s3);align-items:center;border:1px dashed var(--c-line);border-radius:10px;padding:var(--s3);background:#fff}
.bk-pass img{image-rendering:pixelated;flex:none}
.bk-pass-actions{display:flex;flex-wrap:wrap;gap:var(--s2)}
.bk-pass-actions a{text-decoration:none}
@media print{
  body *{visibility:hidden}
  .bk-print-target,.bk-print-target *{visibility:visible}
  .bk-print-target{position:absolute;left:0;top:0;border:2px solid #000;width:100%}
  .bk-print-target .bk-noprint{display:none}
}
.bk-bag-steps{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:8px 0}
.bk-bag-steps li{padding:4px 10px;border-radius:999px;background:var(--c-canvas);color:var(--c-muted);font-size:.85rem}
.bk-bag-steps li[data-state=done]{background:var(--c-success-soft);color:var(--c-success)}
.bk-bag-steps li[aria-current=step]{font-weight:700}
`;
