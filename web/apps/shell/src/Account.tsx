import { useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, isApiError, type Api, type Session } from "@airline/ui";

export type SignUpField = "email" | "password" | "full_name";
const FIELDS: SignUpField[] = ["email", "password", "full_name"];

/** A problem+json answer to a sign-up, split onto the form's fields: the gateway names them
 * (`body.email`), identity's own rules say them first in the detail ("password must be…"), and
 * a taken e-mail is a 409; anything else is for the whole form. */
export function signUpErrors(err: unknown): { fields: Partial<Record<SignUpField, string>>; form: string | null } {
  const fields: Partial<Record<SignUpField, string>> = {};
  if (!isApiError(err)) return { fields, form: (err as Error)?.message ?? "something went wrong" };
  const body = (err.body ?? {}) as { detail?: string; code?: string; errors?: { field?: string; message?: string }[] };
  for (const e of body.errors ?? []) {
    const name = (e.field ?? "").replace(/^body\./, "") as SignUpField;
    if (FIELDS.includes(name) && !fields[name]) fields[name] = e.message ?? "invalid";
  }
  if (!body.errors?.length && typeof body.detail === "string") {
    const named = FIELDS.find((f) => body.detail!.startsWith(`${f} `));
    if (err.status === 409 || body.code === "already_exists") fields.email = body.detail;
    else if (named) fields[named] = body.detail;
  }
  const form = Object.keys(fields).length ? null : err.message;
  return { fields, form };
}

export function SignIn({ api, onSignedIn }: { api: Api; onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await api.login(email, password);
      onSignedIn({ token: t.access_token, user: t.user });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Sign in" className="sh-signin">
      <form onSubmit={submit} className="ui-stack" aria-label="sign in">
        <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit" busy={busy}>Sign in</Button>
        <p className="ui-hint">No account yet? <a href="#/signup">Create one</a>. Guests can book and manage a trip without signing in.</p>
      </form>
    </Card>
  );
}

/** A passenger account: created, then signed in straight away (login sets the session cookie). */
export function SignUp({ api, onSignedIn }: { api: Api; onSignedIn: (s: Session) => void }) {
  const [form, setForm] = useState({ full_name: "", email: "", password: "" });
  const [errors, setErrors] = useState<{ fields: Partial<Record<SignUpField, string>>; form: string | null }>({ fields: {}, form: null });
  const [busy, setBusy] = useState(false);
  const set = (k: SignUpField) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({ fields: {}, form: null });
    try {
      await api.signup(form.email, form.password, form.full_name);
      const t = await api.login(form.email, form.password);
      onSignedIn({ token: t.access_token, user: t.user });
    } catch (err) {
      setErrors(signUpErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Create account" className="sh-signin">
      <form onSubmit={submit} className="ui-stack" aria-label="create account" noValidate>
        <Field label="Full name" autoComplete="name" required value={form.full_name} onChange={set("full_name")} error={errors.fields.full_name} />
        <Field label="E-mail" type="email" autoComplete="email" required value={form.email} onChange={set("email")} error={errors.fields.email} />
        <Field label="Password" type="password" autoComplete="new-password" required value={form.password} onChange={set("password")}
          hint="At least 10 characters." error={errors.fields.password} />
        {errors.form ? <Alert kind="error">{errors.form}</Alert> : null}
        <Button type="submit" busy={busy}>Create account</Button>
        <p className="ui-hint">Already have one? <a href="#/signin">Sign in</a>.</p>
      </form>
    </Card>
  );
}
