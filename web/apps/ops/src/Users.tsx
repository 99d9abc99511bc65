import { useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, type Api } from "@airline/ui";
import { useAsync } from "./panels";
import { STAFF_ROLES, options, userRequest, type StaffUser, type UserForm } from "./adminRules";
import { Outcome, useSave } from "./editing";

const emptyUser = (): UserForm => ({ email: "", full_name: "", password: "", role: "agent" });

/** Admin: the accounts by role, and a new staff account with its role and first password. */
export function Users({ api }: { api: Api }) {
  const [role, setRole] = useState("");
  const [version, setVersion] = useState(0);
  // route-coverage: GET /users
  const list = useAsync(() => api.request<{ users: StaffUser[] }>("GET", `/users${role ? `?${new URLSearchParams({ role })}` : ""}`), [api, role, version]);
  const [form, setForm] = useState<UserForm>(emptyUser);
  const save = useSave(["email", "full_name", "password", "role"]);
  const set = (k: keyof UserForm) => (e: { target: { value: string } }) => { setForm({ ...form, [k]: e.target.value }); save.clear(k); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { errors, body } = userRequest(form);
    void save.run(errors, async () => {
      const u = await api.request<StaffUser>("POST", "/users", body);
      setForm(emptyUser());
      setVersion((v) => v + 1);
      return `Created ${u.email} (${u.role}). Give them the first password by a safe channel.`;
    });
  };
  const [find, setFind] = useState("");
  const needle = find.trim().toLowerCase();
  const all = (list.data?.users ?? []).filter((u) => !needle || u.email.toLowerCase().includes(needle) || u.full_name.toLowerCase().includes(needle));
  const users = all.slice(0, 200);
  return (
    <Card title="Users and roles">
      <form onSubmit={submit} aria-label="create a user" className="ui-stack op-panel" noValidate>
        <h3>Create a staff user</h3>
        <div className="op-grid">
          <Field label="E-mail" type="email" autoComplete="off" value={form.email} maxLength={254} onChange={set("email")} error={save.errors.email} />
          <Field label="Full name" value={form.full_name} maxLength={120} onChange={set("full_name")} error={save.errors.full_name} />
          <Field label="First password" type="password" autoComplete="new-password" value={form.password} onChange={set("password")} error={save.errors.password} />
          <Select label="Role" value={form.role} options={options(STAFF_ROLES)} onChange={set("role")} error={save.errors.role} />
        </div>
        <Outcome error={save.error} done={save.done} label="user" />
        <div><Button type="submit" busy={save.busy}>Create user</Button></div>
      </form>
      <div className="op-grid" role="group" aria-label="user filter">
        <Select label="Show role" value={role} options={[{ value: "", label: "All roles" }, ...options(STAFF_ROLES)]} onChange={(e) => setRole(e.target.value)} />
        <Field label="Find by e-mail or name" type="search" value={find} onChange={(e) => setFind(e.target.value)} />
      </div>
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label="users">
        <thead><tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th></tr></thead>
        <tbody>{users.map((u) => (
          <tr key={u.id}><th scope="row" className="op-mono">{u.email}</th><td>{u.full_name}</td><td>{u.role}</td><td>{u.created_at ? u.created_at.slice(0, 10) : "—"}</td></tr>
        ))}{list.data && !users.length ? <tr><td colSpan={4}>No users{role ? ` with the role ${role}` : ""}{needle ? ` matching "${find.trim()}"` : ""}.</td></tr> : null}</tbody>
      </table></div>
      {all.length > users.length ? <p className="op-muted">Showing {users.length} of {all.length}: narrow the search.</p> : null}
    </Card>
  );
}
