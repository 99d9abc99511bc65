/** The crew routes' shapes (gateway routes/crew.py): aliases of the API's generated types. */
export type { Assignment, CrewNotification, CrewRole, Member, MyAssignments, Violation } from "@airline/ui";
