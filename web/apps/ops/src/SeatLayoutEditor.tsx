import { memo } from "react";
import { Button, Field, Select } from "@airline/ui";
import { errorAt, type FieldErrors } from "./forms";
import { capacityOf, capacityText, parseLayout, seatRows, type CabinDraft, type LayoutDraft } from "./layout";

const CLASSES = [{ value: "vip", label: "VIP" }, { value: "normal", label: "Normal" }];

/** The seat map a layout gives, row by row; a click on a seat blocks or frees it. */
function SeatMap({ draft, onToggle }: { draft: LayoutDraft; onToggle?: (seat: string) => void }) {
  const { layout } = parseLayout(draft);
  const rows = seatRows(layout);
  return (
    <figure className="op-seatmap" aria-labelledby="seatmap-caption">
      <figcaption id="seatmap-caption"><strong>Seat map</strong> <span data-testid="layout-capacity">{capacityText(capacityOf(layout))}</span>
        <span className="op-muted"> · {rows.length} rows{onToggle ? " · choose a seat to block or free it" : ""}</span></figcaption>
      <div className="op-scroll">
        {rows.map((r) => (
          <div key={r.row} className={`op-seatrow op-${r.cabin}`} role="group" aria-label={`row ${r.row}, ${r.cabin}${r.exit ? ", exit row" : ""}`} data-row={r.row}>
            <span className="op-rowno">{r.row}</span>
            {r.groups.map((g, i) => (
              <span key={i} className="op-seatgroup">
                {g.map((s) => (
                  <button key={s.seat} type="button" className="op-seat" aria-label={`seat ${s.seat}`} aria-pressed={s.blocked} title={s.blocked ? `${s.seat} blocked` : s.seat}
                    disabled={!onToggle} onClick={() => onToggle?.(s.seat)}>{s.seat.slice(-1)}</button>
                ))}
              </span>
            ))}
            {r.exit ? <span className="op-exit">exit</span> : null}
          </div>
        ))}
        {rows.length === 0 ? <p className="op-muted">No valid cabin yet.</p> : null}
      </div>
    </figure>
  );
}

/** Drawn again only when the layout changed (typing in the plane's other fields leaves it be). */
export const SeatMapPreview = memo(SeatMap, (a, b) => a.draft === b.draft && !a.onToggle === !b.onToggle);

/** Cabins (class, rows, seat letters), exit rows and blocked seats, with the seat map they give. */
export function SeatLayoutEditor({ draft, onChange, errors }: { draft: LayoutDraft; onChange: (d: LayoutDraft) => void; errors: FieldErrors }) {
  const setCabin = (i: number, patch: Partial<CabinDraft>) => onChange({ ...draft, cabins: draft.cabins.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  const toggle = (seat: string) => {
    const list = draft.blocked_seats.split(/[\s,;]+/).filter(Boolean).map((s) => s.toUpperCase());
    onChange({ ...draft, blocked_seats: (list.includes(seat) ? list.filter((s) => s !== seat) : [...list, seat]).join(", ") });
  };
  const addCabin = () => {
    const last = Math.max(0, ...draft.cabins.map((c) => Number(c.last_row) || 0));
    onChange({ ...draft, cabins: [...draft.cabins, { cabin_class: "normal", first_row: String(last + 1), last_row: String(last + 10), seat_letters: "ABC DEF" }] });
  };
  return (
    <fieldset className="op-layout">
      <legend>Seat layout</legend>
      {draft.cabins.map((c, i) => {
        const at = `layout.cabins.${i}`;
        const whole = errors[at];
        return (
          <div key={i} className="op-cabin" role="group" aria-label={`cabin ${i + 1}`}>
            <Select label={`Cabin ${i + 1} class`} value={c.cabin_class} options={CLASSES} onChange={(e) => setCabin(i, { cabin_class: e.target.value as CabinDraft["cabin_class"] })} error={errorAt(errors, `${at}.cabin_class`)} />
            <Field label={`Cabin ${i + 1} first row`} inputMode="numeric" value={c.first_row} onChange={(e) => setCabin(i, { first_row: e.target.value })} error={errorAt(errors, `${at}.first_row`)} />
            <Field label={`Cabin ${i + 1} last row`} inputMode="numeric" value={c.last_row} onChange={(e) => setCabin(i, { last_row: e.target.value })} error={errorAt(errors, `${at}.last_row`) ?? whole ?? null} />
            <Field label={`Cabin ${i + 1} seat letters`} value={c.seat_letters} maxLength={20} onChange={(e) => setCabin(i, { seat_letters: e.target.value.toUpperCase() })} error={errorAt(errors, `${at}.seat_letters`)} hint="a space for each aisle" />
            <div className="op-end"><Button type="button" variant="secondary" aria-label={`remove cabin ${i + 1}`} disabled={draft.cabins.length < 2}
              onClick={() => onChange({ ...draft, cabins: draft.cabins.filter((_, k) => k !== i) })}>Remove</Button></div>
          </div>
        );
      })}
      {errors["layout.cabins"] || errors.layout ? <p className="ui-error" role="alert">{[errors["layout.cabins"], errors.layout].filter(Boolean).join("; ")}</p> : null}
      <div><Button type="button" variant="secondary" onClick={addCabin} disabled={draft.cabins.length >= 10}>Add a cabin</Button></div>
      <div className="op-grid">
        <Field label="Exit rows" value={draft.exit_rows} onChange={(e) => onChange({ ...draft, exit_rows: e.target.value })} error={errorAt(errors, "layout.exit_rows")} hint="row numbers, e.g. 12, 13" />
        <Field label="Blocked seats" value={draft.blocked_seats} onChange={(e) => onChange({ ...draft, blocked_seats: e.target.value.toUpperCase() })} error={errorAt(errors, "layout.blocked_seats")} hint="e.g. 27A, 27B; or choose them on the map" />
      </div>
      <SeatMapPreview draft={draft} onToggle={toggle} />
    </fieldset>
  );
}
