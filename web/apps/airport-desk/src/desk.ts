/** The desk's pure rules: what a scanner typed, what a bag's measures mean, and how a fee reads. */
import { formatMoney, type Bag, type PassengerQuery } from "@airline/ui";

// IATA BCBP: "M" + the number of legs, then fixed fields; a check-in code is 8 letters/digits.
const BCBP = /^M[1-4].{56,}/;

/** A scanner types the QR's text and Enter; a person types the code. Either goes to the API as is. */
export function parseScan(flightId: string, raw: string, documentNumber = ""): PassengerQuery | null {
  const text = raw.replace(/[\r\n]+$/, "");
  if (!text.trim()) return null;
  const q: PassengerQuery = BCBP.test(text) ? { flight_id: flightId, bcbp: text } : { flight_id: flightId, code: text.trim().toUpperCase() };
  if (documentNumber.trim()) q.document_number = documentNumber.trim().toUpperCase();
  return q;
}

// The same limits the baggage service applies (src/airline/baggage/domain.py): one piece at most
// 32 kg (heavier goes as cargo), and over 158 cm length + width + height is oversize.
export const MAX_PIECE_KG = 32;
export const MAX_LINEAR_CM = 158;

export interface Measures { weightKg: string; lengthCm: string; widthCm: string; heightCm: string }

/** Inline errors before anything is sent, and a warning the agent can say out loud. */
export function checkMeasures(m: Measures): { errors: Partial<Record<keyof Measures, string>>; linearCm: number | null; oversize: boolean } {
  const errors: Partial<Record<keyof Measures, string>> = {};
  const w = Number(m.weightKg.replace(",", "."));
  if (!m.weightKg.trim() || !Number.isFinite(w) || w <= 0) errors.weightKg = "Enter the scale reading in kg";
  else if (w > MAX_PIECE_KG) errors.weightKg = `One piece may weigh at most ${MAX_PIECE_KG} kg; heavier goes as cargo`;
  const dims = (["lengthCm", "widthCm", "heightCm"] as const).map((k) => {
    const v = Number(m[k]);
    if (!m[k].trim() || !Number.isInteger(v) || v < 1 || v > 250) errors[k] = "Whole centimetres, 1 to 250";
    return v;
  });
  const linearCm = dims.every((d) => Number.isInteger(d) && d > 0) ? dims.reduce((a, b) => a + b, 0) : null;
  return { errors, linearCm, oversize: linearCm !== null && linearCm > MAX_LINEAR_CM };
}

/** "extra_piece", "overweight_2kg", "oversize" as the agent reads them to the passenger. */
export function feeReason(reason: string): string {
  if (reason === "extra_piece") return "an extra piece beyond the allowance";
  if (reason === "oversize") return `oversize (over ${MAX_LINEAR_CM} cm in total)`;
  const over = /^overweight_(\d+)kg$/.exec(reason);
  if (over) return `${over[1]} kg over the piece weight`;
  return reason.replace(/_/g, " ");
}

export function feeSummary(bag: Pick<Bag, "fee" | "currency" | "fee_reasons">): { due: boolean; amount: string; reasons: string[] } {
  return { due: bag.fee > 0, amount: formatMoney(bag.fee, bag.currency), reasons: bag.fee_reasons.map(feeReason) };
}

/** An error as the agent reads it (the API's own wording for a refusal). */
export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
