import type { ReactNode } from "react";
import { Alert, formatLocalTime, formatMoney } from "@airline/ui";
import type { Counts, GatePassenger } from "./api";

export const cabinName = (c: string) => (c ? c[0].toUpperCase() + c.slice(1) : "—");
export const statusText = (s: string) => s.replace(/_/g, " ");

/** A refusal or failure of the gate: announced at once. */
export function Refusal({ text }: { text: string | null }) {
  return text ? <Alert kind="error">{text}</Alert> : null;
}

export interface Column { head: string; cell: (p: GatePassenger, i: number) => ReactNode }

export const NAME: Column = { head: "Passenger", cell: (p) => p.name };
export const PNR: Column = { head: "PNR", cell: (p) => <span className="dk-mono">{p.pnr}</span> };
export const SEAT: Column = { head: "Seat", cell: (p) => <span className="dk-mono">{p.seat || "—"}</span> };
export const STATUS: Column = { head: "Status", cell: (p) => statusText(p.status) };
export const FARE: Column = { head: "Fare per seat", cell: (p) => (p.fare_currency ? formatMoney(p.fare_per_seat, p.fare_currency) : "—") };
export const checkedIn = (tz: string): Column => ({ head: "Checked in", cell: (p) => formatLocalTime(p.checked_in_at, tz) });

/** Passengers of one gate list as a table with headers; a calm line when the list is empty. */
export function PassengerTable({ label, rows, columns, empty }: { label: string; rows: GatePassenger[]; columns: Column[]; empty: string }) {
  if (!rows.length) return <p className="dk-muted">{empty}</p>;
  return (
    <div className="dk-scroll">
      <table className="ui-table" aria-label={label}>
        <thead><tr>{columns.map((c) => <th key={c.head} scope="col">{c.head}</th>)}</tr></thead>
        <tbody>{rows.map((p, i) => (
          <tr key={`${p.booking_id}-${p.passenger_id}`}>{columns.map((c) => <td key={c.head}>{c.cell(p, i)}</td>)}</tr>
        ))}</tbody>
      </table>
    </div>
  );
}

const many = (n: number, one: string, more: string) => `${n} ${n === 1 ? one : more}`;
export const countsText = (c: Counts) =>
  `${c.total}: ${many(c.adults, "adult", "adults")}, ${many(c.children, "child", "children")}, ${many(c.infants, "infant", "infants")}`;
