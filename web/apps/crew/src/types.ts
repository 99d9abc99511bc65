/** The crew routes' shapes (gateway routes/crew.py). */
export type CrewRole = "captain" | "first_officer" | "purser" | "flight_attendant";
export interface Violation { rule: string; message: string }
export interface Assignment {
  id: string; flight_id: string; flight_number: string; member_id: string; member_name: string; role: CrewRole;
  state: "proposed" | "accepted" | "declined" | "removed" | "cancelled"; origin: string; destination: string;
  report_at: string | null; departure: string | null; arrival: string | null; release_at: string | null;
  source: "auto" | "manual"; override_reason: string; violations: Violation[]; answer_reason: string;
  needs_attention: boolean; answered_at: string | null;
}
export interface Member { id: string; name: string; role: CrewRole; home_base: string; qualifications: string[]; email: string; phone: string; active: boolean }
export interface MyAssignments { member: Member; assignments: Assignment[] }
export interface CrewNotification { id: string; assignment_id: string | null; kind: string; message: string; created_at: string | null }
