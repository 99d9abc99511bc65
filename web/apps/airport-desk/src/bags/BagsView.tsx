import { useEffect, useMemo, useState } from "react";
import { Alert, Badge, Button, type Api, type Flight } from "@airline/ui";
import { refusal } from "../departure/refusals";
import { bagsApi, statusText, type Bag, type BagDetail, type BagQuery, type Found } from "./api";
import { BagCard } from "./BagCard";
import { BagSearch } from "./BagSearch";

/** Bag tracking at the desk: find a bag (tag, name, status, flight, booking), see its history and
 * record the next scan; the passenger's tracker follows every scan live. `tag` opens one bag. */
export function BagsView({ api, flight, tag, onOpen }: { api: Api; flight: Flight | null; tag?: string; onOpen?: (tag: string) => void }) {
  const bags = useMemo(() => bagsApi(api), [api]);
  const [results, setResults] = useState<Found | null>(null);
  const [bag, setBag] = useState<BagDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [zones, setZones] = useState<Record<string, string>>({});
  useEffect(() => { api.airports().then((r) => setZones(Object.fromEntries(r.airports.map((a) => [a.code, a.time_zone])))).catch(() => {}); }, [api]);

  const open = async (t: string) => { const d = await bags.get(t); setBag(d); onOpen?.(t); return d; };
  useEffect(() => {
    if (!tag || tag === bag?.tag) return;
    setError(null);
    bags.get(tag).then(setBag).catch((e) => setError(refusal(e)));
  }, [bags, tag]); // eslint-disable-line react-hooks/exhaustive-deps
  // the next page of the same search, added under what is shown
  const more = async (q: BagQuery) => {
    setError(null);
    try {
      const r = await bags.search(q);
      setResults((cur) => cur && { ...cur, bags: [...cur.bags, ...r.bags], more: r.next_page_token ? { ...q, page_token: r.next_page_token } : null });
    } catch (e) { setError(refusal(e)); }
  };
  const changed = (d: BagDetail) => {
    setBag(d);
    setResults((r) => r && { ...r, bags: r.bags.map((b) => (b.tag === d.tag ? { ...b, status: d.status } : b)) });
  };

  return (
    <div className="ui-stack" aria-label="bags">
      <div className="dk-grid">
        <BagSearch bags={bags} flight={flight} onTag={open} onResults={(r) => { setResults(r); setError(null); }} />
        {bag ? <BagCard bag={bag} bags={bags} zones={zones} onChanged={changed} /> : null}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {results ? <Results results={results} onOpen={(t) => { setError(null); open(t).catch((e) => setError(refusal(e))); }} onMore={more} /> : null}
    </div>
  );
}

function Results({ results, onOpen, onMore }: { results: Found; onOpen: (tag: string) => void; onMore: (q: BagQuery) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const tagged = results.bags.filter((b): b is Bag & { tag: string } => !!b.tag);
  const untagged = results.bags.length - tagged.length;
  return (
    <section className="ui-card" aria-labelledby="dk-bag-results">
      <h2 id="dk-bag-results">Bags found <span className="dk-load">{results.what}</span></h2>
      {!tagged.length ? <p className="dk-muted">No bags match{untagged ? ` (${untagged} not accepted yet: no tag until the fee is paid)` : ""}.</p> : (
        <div className="dk-scroll">
          <table className="ui-table" aria-label="bags found">
            <thead><tr><th scope="col">Tag</th><th scope="col">Passenger</th><th scope="col">PNR</th><th scope="col">Flight</th><th scope="col">Weight</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
            <tbody>{tagged.map((b) => (
              <tr key={b.id}>
                <td className="dk-mono">{b.tag}</td><td>{b.passenger_name}</td><td className="dk-mono">{b.pnr}</td>
                <td>{b.flight_number} {b.origin} → {b.destination}</td><td>{b.weight_kg} kg</td>
                <td><Badge tone={b.status === "mishandled" ? "danger" : undefined}>{statusText(b.status)}</Badge></td>
                <td><Button variant="secondary" onClick={() => onOpen(b.tag)} aria-label={`Open bag ${b.tag}`}>Open</Button></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {tagged.length && untagged ? <p className="dk-muted">{untagged} more not accepted yet (no tag until the fee is paid).</p> : null}
      {results.more ? <Button variant="secondary" busy={busy} onClick={async () => { setBusy(true); try { await onMore(results.more!); } finally { setBusy(false); } }}>Show more bags</Button> : null}
    </section>
  );
}
