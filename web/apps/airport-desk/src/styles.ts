import { tokens as t } from "@airline/ui";

// A desk is used standing, with a scanner in one hand: big targets, and a scan's answer that
// can be read from a step away (green boarded, red refused).
export const deskCss = `
.dk{max-width:1100px;margin:0 auto;padding:${t.space[4]}}
.dk-tabs{display:flex;gap:${t.space[2]};flex-wrap:wrap;margin:${t.space[4]} 0}
.dk-tabs a{padding:10px 16px;border-radius:${t.radius.md};text-decoration:none;color:${t.color.ink};background:${t.color.surface};border:1px solid ${t.color.line};font-weight:600}
.dk-tabs a[aria-current=page]{background:${t.color.brand};color:#fff;border-color:${t.color.brand}}
.dk-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:${t.space[4]}}
.dk-facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:${t.space[3]} 0}
.dk-facts dt{color:${t.color.muted}}
.dk-facts dd{margin:0;font-weight:600}
.dk-mono{font-family:${t.font.mono}}
.dk-scan input{font-size:1.3rem;font-family:${t.font.mono}}
.dk-result{border-radius:${t.radius.lg};padding:${t.space[5]};margin-top:${t.space[4]};text-align:center}
.dk-result strong{display:block;font-size:clamp(2rem,6vw,3.4rem);letter-spacing:.04em}
.dk-result p{font-size:1.3rem;margin:${t.space[2]} 0 0}
.dk-result--ok{background:${t.color.success};color:#fff}
.dk-result--refused{background:${t.color.danger};color:#fff;box-shadow:0 0 0 6px ${t.color.dangerSoft}}
.dk-pass{display:flex;gap:${t.space[4]};align-items:center;flex-wrap:wrap}
.dk-pass img{width:180px;height:180px;image-rendering:pixelated;background:#fff}
.dk-fee{font-size:1.6rem;font-weight:700}
.dk-tag{overflow-x:auto}
.dk-tag img{max-width:none;background:#fff;border:1px dashed ${t.color.line}}
.dk-muted{color:${t.color.muted}}
.dk-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.dk-cabin{border-top:1px solid ${t.color.line};margin-top:${t.space[4]};padding-top:${t.space[3]}}
.dk-cabin h3{display:flex;gap:${t.space[3]};align-items:baseline;flex-wrap:wrap}
.dk-cabin h4{margin:${t.space[3]} 0 ${t.space[2]}}
.dk-load{font-size:.95rem;font-weight:400;color:${t.color.muted}}
.dk-actions{margin:${t.space[3]} 0}
.dk-actions>*{flex:0 1 auto}
.dk-actions>.ui-field{flex:1 1 260px}
.dk-end{justify-content:flex-end}
.dk-names{max-height:12rem;overflow:auto;margin:0}
.dk-check{display:flex;gap:${t.space[2]};align-items:center;font-weight:600;min-height:44px}
.dk-check input{width:22px;height:22px}
.dk-taglink{display:inline-block;margin-right:${t.space[2]};color:${t.color.brand};font-weight:600}
@media print{body *{visibility:hidden}.dk-tag,.dk-tag *{visibility:visible}.dk-tag{position:absolute;left:0;top:0}.dk-noprint{display:none}}
@media (max-width:600px){.dk{padding:${t.space[2]}}.dk-tabs a{flex:1;text-align:center;padding:8px}.dk-pass img{width:140px;height:140px}}
`;
