import { useState } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api } from "@airline/ui";
import { ActionForm, type Plan } from "./ActionForm";
import { qs } from "./data";
import { errorAt, useSend } from "./forms";
import { useAsync } from "./panels";
import type { Message, MessageIn } from "./types";

const when = (iso?: string | null) => (iso ? `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC` : "");
const tone = (status: string) => (status === "sent" ? "success" : status === "failed" ? "danger" : "warning");
const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;

/** One message as the outbox keeps it (GET /notifications/{id}): its text, template and delivery. */
function MessageDetail({ api, id }: { api: Api; id: string }) {
  const m = useAsync(() => api.request<Message>("GET", `/notifications/${encodeURIComponent(id)}`), [api, id]);
  if (m.error) return <Alert kind="error">{m.error}</Alert>;
  if (!m.data) return <p>Loading…</p>;
  const d = m.data;
  return (
    <section className="op-panel" aria-label="message" data-testid="message-detail">
      <h3>{d.channel === "sms" ? "SMS" : "E-mail"} to <span className="op-mono">{d.recipient}</span> <Badge tone={tone(d.status)}>{d.status}</Badge></h3>
      <dl className="op-totals">
        <dt>Kind</dt><dd>{d.kind} ({d.template})</dd>
        {d.subject ? <><dt>Subject</dt><dd>{d.subject}</dd></> : null}
        <dt>Text</dt><dd className="op-body">{d.body}</dd>
        <dt>Reference</dt><dd className="op-mono">{d.reference || "—"}</dd>
        <dt>Created</dt><dd>{when(d.created_at)}</dd>
        <dt>Sent</dt><dd>{when(d.sent_at) || "not yet"}</dd>
        <dt>Attempts</dt><dd>{d.attempts} via {d.provider || "—"}{d.last_error ? `; last error: ${d.last_error}` : ""}</dd>
      </dl>
    </section>
  );
}

/** Ops sends an SMS or e-mail from a template: a free text, or a flight disruption notice. */
function SendMessage({ api, onSent }: { api: Api; onSent: (m: Message) => void }) {
  const [channel, setChannel] = useState<MessageIn["channel"]>("sms");
  const [recipient, setRecipient] = useState("");
  const [kind, setKind] = useState<"generic" | "flight_disruption">("generic");
  const [params, setParams] = useState<Record<string, string>>({ status: "delayed" });
  const [reference, setReference] = useState("");
  const send = useSend();
  const param = (k: string, label: string, hint?: string) => (
    <Field label={label} hint={hint} value={params[k] ?? ""} onChange={(e) => { setParams((p) => ({ ...p, [k]: e.target.value })); send.clear(`params.${k}`); }} error={errorAt(send.fields, `params.${k}`)} />
  );
  const plan = (): Plan<Message> | null => {
    const errs: Record<string, string> = {};
    if (channel === "sms" && !/^\+[1-9]\d{6,14}$/.test(recipient.trim())) errs.recipient = "A phone number in international form, e.g. +6591234567";
    if (channel === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(recipient.trim())) errs.recipient = "An e-mail address";
    if (kind === "generic" && !params.text?.trim()) errs["params.text"] = "Write the message";
    if (kind === "flight_disruption" && !params.flight_number?.trim()) errs["params.flight_number"] = "Which flight, e.g. XA101";
    send.setFields(errs);
    if (Object.keys(errs).length) return null;
    const keys = kind === "generic" ? ["text", ...(channel === "email" ? ["subject"] : [])] : ["flight_number", "status", "reason"];
    const body: MessageIn = { channel, recipient: recipient.trim(), kind, reference: reference.trim(),
      params: Object.fromEntries(keys.filter((k) => params[k]?.trim()).map((k) => [k, params[k].trim()])) };
    const key = newKey();
    return {
      what: `Send ${channel === "sms" ? "an SMS" : "an e-mail"} to ${body.recipient}`,
      effect: kind === "generic" ? `It says: "${body.params?.text}".` : `It tells the passenger that flight ${body.params?.flight_number} is ${body.params?.status}${body.params?.reason ? ` (${body.params.reason})` : ""}.`,
      run: () => api.request<Message>("POST", "/notifications", body, { "Idempotency-Key": key }),
    };
  };
  return (
    <ActionForm label="Send a message" shown={["channel", "recipient", "kind", "params", "reference"]} send={send} plan={plan} onDone={onSent}>
      <Select label="Channel" value={channel} onChange={(e) => setChannel(e.target.value as MessageIn["channel"])} options={[{ value: "sms", label: "SMS" }, { value: "email", label: "E-mail" }]} />
      <Field label={channel === "sms" ? "Phone number" : "E-mail address"} value={recipient} maxLength={254} onChange={(e) => { setRecipient(e.target.value); send.clear("recipient"); }} error={errorAt(send.fields, "recipient")} />
      <Select label="Template" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} options={[{ value: "generic", label: "Free text" }, { value: "flight_disruption", label: "Flight disruption" }]} />
      {kind === "generic" ? <>{channel === "email" ? param("subject", "Subject") : null}{param("text", "Message")}</> : (
        <>
          {param("flight_number", "Flight number")}
          <Select label="Flight is" value={params.status ?? "delayed"} onChange={(e) => setParams((p) => ({ ...p, status: e.target.value }))} options={[{ value: "delayed", label: "delayed" }, { value: "cancelled", label: "cancelled" }]} />
          {param("reason", "Reason (optional)")}
        </>
      )}
      <Field label="Reference (booking, PNR or flight; optional)" value={reference} maxLength={64} onChange={(e) => setReference(e.target.value)} error={errorAt(send.fields, "reference")} />
    </ActionForm>
  );
}

/** The notification outbox: what passengers were sent, and whether it went; ops can send one. */
export function Messages({ api, canSend }: { api: Api; canSend: boolean }) {
  const [status, setStatus] = useState("");
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const list = useAsync(() => api.request<{ messages: Message[] }>("GET", `/notifications?${qs({ status, page_size: 50 })}`), [api, status, version]);
  return (
    <>
      {canSend ? (
        <Card title="Send a message">
          <SendMessage api={api} onSent={(m) => { setOpen(m.id); setVersion((v) => v + 1); }} />
        </Card>
      ) : null}
      <Card title="Notification outbox">
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)} options={[{ value: "", label: "All" }, { value: "queued", label: "Queued" }, { value: "sent", label: "Sent" }, { value: "failed", label: "Failed" }, { value: "superseded", label: "Superseded" }]} />
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        {open ? <MessageDetail key={`${open}-${version}`} api={api} id={open} /> : null}
        <div className="op-scroll"><table className="ui-table" aria-label="notifications">
          <thead><tr><th scope="col">When</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Kind</th><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Open</th></tr></thead>
          <tbody>{(list.data?.messages ?? []).map((m) => (
            <tr key={m.id}><td>{when(m.created_at)}</td><td>{m.channel}</td><td className="op-mono">{m.recipient}</td><td>{m.kind}</td><td className="op-body">{m.body}</td>
              <td><Badge tone={tone(m.status)}>{m.status}</Badge></td>
              <td><Button variant="secondary" aria-label={`open message to ${m.recipient} ${when(m.created_at)}`} onClick={() => setOpen(m.id)}>Open</Button></td></tr>
          ))}{list.data?.messages.length === 0 ? <tr><td colSpan={7}>No messages.</td></tr> : null}</tbody>
        </table></div>
      </Card>
    </>
  );
}
