"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { BookingPassenger } from "./api";
import { Alert, Button, Field } from "./components";
import { NAME_LETTERS, nameLetters } from "./passengers";

/** Correct a misspelt name: at most NAME_LETTERS letters over first and last name, free, new
 * e-tickets. The count is shown as typed; the server decides and its refusal is shown as is. */
export function NameCorrectionForm({ passenger, busy, error, onSubmit, onClose, disabled, children }: {
  passenger: BookingPassenger; busy: boolean; error: string | null; disabled?: boolean; children?: ReactNode;
  onSubmit: (name: { first_name: string; last_name: string }) => void; onClose: () => void;
}) {
  const [first, setFirst] = useState(passenger.first_name);
  const [last, setLast] = useState(passenger.last_name);
  const letters = nameLetters(passenger, { first_name: first, last_name: last });
  const submit = (e: FormEvent) => { e.preventDefault(); onSubmit({ first_name: first.trim(), last_name: last.trim() }); };
  const who = `${passenger.first_name} ${passenger.last_name}`;
  return (
    <form className="ui-stack" onSubmit={submit} aria-label={`correct the name of ${who}`}>
      <p className="ui-hint">A spelling mistake of up to {NAME_LETTERS} letters (first and last name together) is corrected for free, with new e-tickets.
        A bigger change is another person: that needs a new booking.</p>
      <div className="ui-row">
        <Field label="Corrected first name" value={first} autoComplete="off" onChange={(e) => setFirst(e.target.value)} />
        <Field label="Corrected last name" value={last} autoComplete="off" onChange={(e) => setLast(e.target.value)} />
      </div>
      <p className="ui-hint" aria-live="polite" data-testid="name-letters">
        {letters === 0 ? "Nothing changed yet." : `${letters} letter${letters > 1 ? "s" : ""} changed${letters > NAME_LETTERS ? `: more than ${NAME_LETTERS}, this will be refused` : ""}.`}
      </p>
      {children}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="ui-row">
        <Button type="submit" busy={busy} disabled={disabled || letters === 0}>Save corrected name</Button>
        <Button type="button" variant="ghost" onClick={onClose}>Close</Button>
      </div>
    </form>
  );
}

/** Ask before cancelling one passenger: who goes (with the infant on their lap) and the refund rule. */
export function CancelPassengerConfirm({ leaving, rule, busy, error, onConfirm, onClose, disabled, children }: {
  leaving: BookingPassenger[]; rule: string; busy: boolean; error: string | null; disabled?: boolean; children?: ReactNode;
  onConfirm: () => void; onClose: () => void;
}) {
  const id = useId();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => { keep.current?.focus(); }, []);
  const names = leaving.map((p) => `${p.first_name} ${p.last_name}`);
  return (
    <div className="ui-stack ui-confirm" role="alertdialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`}>
      <h4 id={`${id}-t`}>Cancel {names.join(" and ")}?</h4>
      <p id={`${id}-d`}>{names.length > 1 ? "They no longer travel" : "This passenger no longer travels"}: their seats and e-tickets are released.
        The others on the booking keep theirs. {rule}</p>
      {children}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="ui-row">
        <Button variant="danger" busy={busy} disabled={disabled} onClick={onConfirm}>Yes, cancel {names[0]}</Button>
        <button ref={keep} type="button" className="ui-btn ui-btn--secondary" onClick={onClose}>Keep {names[0]}</button>
      </div>
    </div>
  );
}
