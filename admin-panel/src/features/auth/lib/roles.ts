/**
 * What each role may use in the panel (docs/roles.md): the navigation and the routes follow it;
 * the API enforces the same table (a 403 is shown as "Недостаточно прав", never a crash).
 */
import type { Schemas } from "@/lib/api-client";

export type Role = Schemas["Role"];

/** The panel's parts, each a page or a group of pages. */
export type Area =
  | "dashboard"
  | "vacancies"
  | "invitations"
  | "slots"
  | "bookings"
  /** The waitlist and the requests to book after no-shows (issue 15). */
  | "waitlist"
  | "candidates"
  | "broadcasts"
  | "inbox"
  | "audit"
  | "team"
  | "myInterviews"
  | "profile"
  /** A candidate's card (an interviewer: only candidates of their own interviews, without the inbox). */
  | "candidateCard"
  /** Creating, changing and removing slots (an interviewer sees the calendar read-only). */
  | "slotsEdit";

const EVERY_ROLE: Area[] = ["myInterviews", "profile", "slots", "candidateCard"];
const INTERVIEWER: Area[] = [...EVERY_ROLE];
const RECRUITER: Area[] = [...EVERY_ROLE, "dashboard", "vacancies", "invitations", "slotsEdit", "bookings", "waitlist", "candidates", "broadcasts", "inbox", "audit"];
const ADMIN: Area[] = [...RECRUITER, "team"];

const AREAS: Record<Role, ReadonlySet<Area>> = {
  admin: new Set(ADMIN),
  recruiter: new Set(RECRUITER),
  interviewer: new Set(INTERVIEWER),
};

export const canUse = (role: Role | undefined, area: Area): boolean => role !== undefined && AREAS[role].has(area);

/** Where a role starts: the dashboard, or an interviewer's own interviews. */
export const homeOf = (role: Role | undefined): string => (role === "interviewer" ? "/my-interviews" : "/");
