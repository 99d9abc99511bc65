import { tokens as t } from "@airline/ui";

// A board is read from across a hall: large type, high contrast, amber for what changed.
export const boardCss = `
.wh{position:fixed;inset:0;display:flex;flex-direction:column;background:${t.color.boardBg};color:${t.color.boardText};font-family:${t.font.sans};z-index:10}
.wh-head{display:flex;justify-content:space-between;align-items:center;padding:2vh 3vw;border-bottom:2px solid #1c3352}
.wh-title{display:flex;align-items:baseline;gap:1.2vw}
.wh-title h1{margin:0;font-size:clamp(1.6rem,4vw,3.4rem);letter-spacing:.02em}
.wh-icon{font-size:clamp(1.4rem,3.4vw,3rem);color:${t.color.boardAmber}}
.wh-airport{font-size:clamp(1rem,2vw,1.7rem);color:#9fb3cc}
.wh-head{flex-wrap:wrap;gap:12px}
.wh-icon--arrivals{display:inline-block;transform:rotate(35deg)}
.wh-meta{display:flex;align-items:center;gap:2vw;flex-wrap:wrap}
.wh-switch{display:flex;gap:6px}
.wh-switch a{color:${t.color.boardText};background:#1c3352;text-decoration:none;font-weight:700;padding:6px 14px;border-radius:999px;font-size:clamp(.8rem,1.2vw,1.05rem)}
.wh-switch a[aria-current=page]{background:${t.color.boardAmber};color:#1b1300}
.wh-switch a:focus-visible{outline:3px solid #fff;outline-offset:2px}
.wh-clock{font-family:${t.font.mono};font-size:clamp(1.6rem,4vw,3.2rem);color:${t.color.boardAmber}}
.wh-live{font-size:.9rem;font-weight:700;text-transform:uppercase;letter-spacing:.08em;padding:4px 10px;border-radius:999px;background:#1c3352}
.wh-live--live{background:#114d2f;color:#7be3a8}
.wh-live--reconnecting{background:#5a3a05;color:${t.color.boardAmber}}
.wh-body{flex:1;overflow:hidden;padding:0 2vw}
.wh-table{width:100%;border-collapse:separate;border-spacing:0 .6vh;font-size:clamp(1rem,2.1vw,2rem)}
.wh-table th{text-align:left;font-size:clamp(.7rem,1.1vw,1rem);text-transform:uppercase;letter-spacing:.1em;color:#8aa0bb;padding:1vh 1vw;font-weight:600}
.wh-row td{background:${t.color.boardRow};padding:1.2vh 1vw}
.wh-row td:first-child{border-radius:8px 0 0 8px}
.wh-row td:last-child{border-radius:0 8px 8px 0}
.wh-time,.wh-flight,.wh-gate{font-family:${t.font.mono};white-space:nowrap}
.wh-struck{text-decoration:line-through;color:#7d8ea5;margin-right:.6em}
.wh-new{color:${t.color.boardAmber};font-weight:700}
.wh-flight{font-weight:700}
.wh-code{color:#8aa0bb;font-size:.7em}
.wh-status{font-weight:700;white-space:nowrap}
.wh-status--ok{color:#7be3a8}
.wh-status--warn{color:${t.color.boardAmber}}
.wh-status--bad{color:#ff7b86}
.wh-status--info{color:#8cc8ff}
.wh-remarks{color:#d5deea;font-size:.8em}
.wh-empty{text-align:center;color:#8aa0bb;padding:6vh}
.wh-ticker{display:flex;align-items:center;background:${t.color.boardAmber};color:#1b1300;font-size:clamp(1rem,2vw,1.8rem);font-weight:600;overflow:hidden;min-height:7vh}
.wh-ticker-label{background:#1b1300;color:${t.color.boardAmber};padding:1.5vh 2vw;text-transform:uppercase;letter-spacing:.08em;font-size:.7em;white-space:nowrap;align-self:stretch;display:flex;align-items:center}
.wh-ticker-track{overflow:hidden;flex:1;white-space:nowrap}
.wh-ticker-text{display:inline-block;padding-left:2vw;animation:wh-scroll 45s linear infinite}
.wh-ticker-text span{padding-right:8vw}
@keyframes wh-scroll{from{transform:translateX(0)}to{transform:translateX(-50%)}}
.wh-ticker-idle{animation:none}
@media (prefers-reduced-motion:reduce){.wh-ticker-text{animation:none;padding-left:2vw}}
@media (max-width:700px){.wh-remarks-col,.wh-remarks{display:none}.wh-airport,.wh-struck,.wh-dest .wh-code{display:none}.wh-head{padding:12px}.wh-switch a{padding:4px 10px}.wh-clock{font-size:1.4rem}.wh-live{font-size:.7rem;padding:2px 8px}.wh-table{font-size:.95rem}.wh-row td{padding:10px 6px}.wh-body{padding:0 6px}}
`;
