import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

/** A button whose busy state always wins: whatever else it is given (`disabled={false}`, an
 * `onClick`), a busy button is disabled and its click handler is not called (no double submit). */
export function Button({ variant = "primary", className = "", busy, children, disabled, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button {...rest} className={`ui-btn ${variant === "primary" ? "" : `ui-btn--${variant}`} ${className}`} aria-busy={busy || undefined}
      disabled={Boolean(busy || disabled)} onClick={busy ? (e) => e.preventDefault() : onClick}>
      {busy ? <Spinner label="working" /> : null} {children}
    </button>
  );
}

/** A labelled input with its hint and inline error, wired for screen readers. */
export function Field({ label, hint, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string | null }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="ui-field" data-invalid={error ? "true" : undefined}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint ? <span id={`${id}-hint`} className="ui-hint">{hint}</span> : null}
      {error ? <span id={`${id}-error`} className="ui-error" role="alert">{error}</span> : null}
    </div>
  );
}

export function Select({ label, options, error, ...select }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: { value: string; label: string }[]; error?: string | null }) {
  const id = useId();
  return (
    <div className="ui-field" data-invalid={error ? "true" : undefined}>
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {error ? <span className="ui-error" role="alert">{error}</span> : null}
    </div>
  );
}

export function Card({ children, title, className = "", ...rest }: { children: ReactNode; title?: ReactNode; className?: string } & Record<string, unknown>) {
  return (
    <section className={`ui-card ${className}`} {...rest}>
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  );
}

export function Alert({ kind = "info", children }: { kind?: "info" | "error" | "success" | "warning"; children: ReactNode }) {
  return <div className={`ui-alert ui-alert--${kind}`} role={kind === "error" ? "alert" : "status"}>{children}</div>;
}

export function Badge({ tone, children }: { tone?: "success" | "warning" | "danger"; children: ReactNode }) {
  return <span className={`ui-badge ${tone ? `ui-badge--${tone}` : ""}`}>{children}</span>;
}

export function Spinner({ label = "loading" }: { label?: string }) {
  return <span className="ui-spinner" role="progressbar" aria-label={label} />;
}

/** The progress indicator of a multi-step flow. */
export function Steps({ steps, current }: { steps: string[]; current: number }) {
  return (
    <ol className="ui-steps" aria-label="progress">
      {steps.map((s, i) => (
        <li key={s} data-state={i < current ? "done" : undefined} aria-current={i === current ? "step" : undefined}>
          <span className="ui-sr">{i < current ? "done: " : ""}</span>{i + 1}<span className="ui-step-name">. {s}</span>
        </li>
      ))}
    </ol>
  );
}
