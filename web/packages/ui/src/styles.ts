import { tokens as t } from "./tokens";

/** The shared stylesheet, as a string so that every bundler (Next, rspack, vitest) takes it
 * without a CSS loader, and a remote running on its own looks the same as inside the shell. */
export const css = `
:root{
  --c-ink:${t.color.ink};--c-ink-soft:${t.color.inkSoft};--c-muted:${t.color.muted};--c-line:${t.color.line};
  --c-surface:${t.color.surface};--c-canvas:${t.color.canvas};--c-brand:${t.color.brand};
  --c-brand-strong:${t.color.brandStrong};--c-brand-soft:${t.color.brandSoft};--c-accent:${t.color.accent};
  --c-success:${t.color.success};--c-success-soft:${t.color.successSoft};--c-warning:${t.color.warning};
  --c-warning-soft:${t.color.warningSoft};--c-danger:${t.color.danger};--c-danger-soft:${t.color.dangerSoft};
  --font-sans:${t.font.sans};--font-mono:${t.font.mono};
  --s1:${t.space[1]};--s2:${t.space[2]};--s3:${t.space[3]};--s4:${t.space[4]};--s5:${t.space[5]};--s6:${t.space[6]};--s7:${t.space[7]};
  --r-sm:${t.radius.sm};--r-md:${t.radius.md};--r-lg:${t.radius.lg};--shadow:${t.shadow};
}
*,*::before,*::after{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:var(--font-sans);color:var(--c-ink);background:var(--c-canvas);line-height:1.5;font-size:16px;-webkit-font-smoothing:antialiased}
h1,h2,h3{line-height:1.2;margin:0 0 var(--s3)}
h1{font-size:1.75rem;font-weight:700;letter-spacing:-.01em}
h2{font-size:1.3rem;font-weight:650}
h3{font-size:1.05rem;font-weight:650}
p{margin:0 0 var(--s3)}
a{color:var(--c-brand)}
:focus-visible{outline:3px solid var(--c-accent);outline-offset:2px}
.ui-sr{position:absolute!important;left:0;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.ui-card{background:var(--c-surface);border:1px solid var(--c-line);border-radius:var(--r-lg);box-shadow:var(--shadow);padding:var(--s5)}
.ui-stack{display:flex;flex-direction:column;gap:var(--s4)}
.ui-row{display:flex;flex-wrap:wrap;gap:var(--s4);align-items:flex-end}
.ui-row>*{flex:1 1 160px}
.ui-btn{appearance:none;border:1px solid transparent;border-radius:var(--r-md);padding:10px 18px;font:inherit;font-weight:600;cursor:pointer;background:var(--c-brand);color:#fff;min-height:44px;transition:background .15s}
.ui-btn:hover{background:var(--c-brand-strong)}
.ui-btn:disabled{opacity:.55;cursor:not-allowed}
.ui-btn--secondary{background:var(--c-surface);color:var(--c-brand);border-color:var(--c-line)}
.ui-btn--secondary:hover{background:var(--c-brand-soft)}
.ui-btn--danger{background:var(--c-danger)}
.ui-btn--ghost{background:transparent;color:var(--c-ink-soft)}
.ui-btn--ghost:hover{background:var(--c-brand-soft)}
.ui-field{display:flex;flex-direction:column;gap:var(--s1);min-width:0}
.ui-field label{font-size:.85rem;font-weight:600;color:var(--c-ink-soft)}
.ui-field input,.ui-field select{font:inherit;padding:10px 12px;border:1px solid var(--c-line);border-radius:var(--r-md);background:#fff;color:var(--c-ink);min-height:44px;width:100%}
.ui-field input:focus,.ui-field select:focus{border-color:var(--c-brand);outline:2px solid var(--c-brand-soft)}
.ui-field[data-invalid="true"] input,.ui-field[data-invalid="true"] select{border-color:var(--c-danger)}
.ui-field .ui-hint{font-size:.8rem;color:var(--c-muted)}
.ui-field .ui-error{font-size:.8rem;color:var(--c-danger);font-weight:600}
.ui-alert{border-radius:var(--r-md);padding:var(--s3) var(--s4);border:1px solid;font-size:.95rem}
.ui-alert--info{background:var(--c-brand-soft);border-color:#bcd4ea;color:var(--c-brand-strong)}
.ui-alert--error{background:var(--c-danger-soft);border-color:#f0b9c0;color:var(--c-danger)}
.ui-alert--success{background:var(--c-success-soft);border-color:#b4dfc6;color:var(--c-success)}
.ui-alert--warning{background:var(--c-warning-soft);border-color:#f3d49a;color:var(--c-warning)}
.ui-badge{display:inline-flex;align-items:center;gap:4px;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:2px 8px;border-radius:999px;background:var(--c-brand-soft);color:var(--c-brand-strong)}
.ui-badge--success{background:var(--c-success-soft);color:var(--c-success)}
.ui-badge--warning{background:var(--c-warning-soft);color:var(--c-warning)}
.ui-badge--danger{background:var(--c-danger-soft);color:var(--c-danger)}
.ui-steps{display:flex;gap:var(--s2);list-style:none;margin:0 0 var(--s5);padding:0;overflow-x:auto;position:relative}
.ui-steps li{position:relative;flex:1 1 0;min-width:72px;font-size:.78rem;color:var(--c-muted);border-top:4px solid var(--c-line);padding-top:var(--s2);white-space:nowrap}
.ui-steps li[data-state="done"]{border-color:var(--c-brand);color:var(--c-ink-soft)}
.ui-steps li[aria-current="step"]{border-color:var(--c-accent);color:var(--c-ink);font-weight:700}
.ui-money{font-variant-numeric:tabular-nums;font-weight:700}
.ui-spinner{display:inline-block;width:18px;height:18px;border:3px solid var(--c-brand-soft);border-top-color:var(--c-brand);border-radius:50%;animation:ui-spin 1s linear infinite;vertical-align:middle}
@keyframes ui-spin{to{transform:rotate(360deg)}}
.ui-table{width:100%;border-collapse:collapse;font-size:.95rem}
.ui-table th,.ui-table td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--c-line)}
.ui-confirm{border:1px solid var(--c-danger);border-radius:var(--r-md);padding:var(--s4);background:var(--c-danger-soft)}
.ui-timeline{list-style:none;margin:0;padding:0;border-left:3px solid var(--c-line)}
.ui-timeline li{position:relative;padding:0 0 var(--s3) var(--s4)}
.ui-timeline li::before{content:"";position:absolute;left:-8px;top:6px;width:13px;height:13px;border-radius:50%;background:var(--c-brand)}
.ui-table th{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--c-muted)}
.ui-muted{color:var(--c-muted)}
.ui-mono{font-family:var(--font-mono)}
.ui-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;position:relative}
.ui-actions{display:flex;flex-wrap:wrap;gap:var(--s2);align-items:center}
.ui-stepper{display:inline-flex;gap:6px;align-items:center}
.ui-stepper output{min-width:1.5em;text-align:center;font-variant-numeric:tabular-nums;font-weight:700}
.ui-receipt tfoot th,.ui-receipt tfoot td{border-bottom:0;font-weight:700}
@media print{body *{visibility:hidden}.ui-receipt,.ui-receipt *{visibility:visible}.ui-receipt{position:absolute;left:0;top:0;width:100%}.ui-noprint{display:none}}
@media (max-width:600px){.ui-steps li{min-width:22px}.ui-steps li:not([aria-current]) .ui-step-name{display:none}.ui-steps li[aria-current]{flex:0 0 auto}.ui-card{padding:var(--s4);border-radius:var(--r-md)}h1{font-size:1.4rem}}
`;

/** Adds the shared stylesheet to the document once (the shell and each remote call it). */
export function ensureStyles(doc: Document | undefined = typeof document === "undefined" ? undefined : document): void {
  if (!doc || doc.getElementById("airline-ui-styles")) return;
  const style = doc.createElement("style");
  style.id = "airline-ui-styles";
  style.textContent = css;
  doc.head.appendChild(style);
}
