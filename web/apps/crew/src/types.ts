/** The crew routes' shapes (gateway routes/crew.py): aliases of the API's generated types. */
export type { Assignment, CrewNotification, CrewRole, DutyPeriod, Member, MyAssignments, MyPairings, Pairing, Violation } from "@airline/ui";
