/** The slots page: the week shown, week or list view, the open dialog, and the week's slots. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTimeZone } from "@/components/time-zone";
import { useRole } from "@/features/auth/hooks/use-role";
import { addDays, mondayOf, startOfLocalDay, todayIn } from "@/lib/time";
import { slotsQueryOptions } from "../api/slots";
import type { SlotAction } from "../components/week-calendar";

export type SlotDialog =
  | { kind: "create" }
  | { kind: "bulk" }
  | { kind: "edit"; id: number }
  | { kind: "cancel" | "delete"; id: number }
  | { kind: "detail"; id: number }
  | null;

export type SlotView = "week" | "list";

export function useSlotsPage() {
  const tz = useTimeZone();
  const [monday, setMonday] = useState(() => mondayOf(todayIn(tz)));
  const [view, setView] = useState<SlotView>("week");
  const [dialog, setDialog] = useState<SlotDialog>(null);
  // An interviewer sees their own slots (the server gives no others) and changes none of them.
  const { role, can } = useRole();
  const readOnly = role === "interviewer";
  // Vacancy titles only for those who may list vacancies (and once the account is known).
  const namesVacancies = can("vacancies");
  const [interviewerId, setInterviewerId] = useState<number | undefined>(undefined);
  const slots = useQuery(
    slotsQueryOptions({ from: startOfLocalDay(monday, tz), to: startOfLocalDay(addDays(monday, 7), tz), ...(interviewerId !== undefined ? { interviewer_id: interviewerId } : {}) }),
  );
  const onAction: SlotAction = (slot, action) => setDialog({ kind: action, id: slot.id });
  // After a bulk generation the calendar opens on the week of the first slot created.
  const bulkDone = (firstDay: string) => {
    setDialog(null);
    setMonday(mondayOf(firstDay));
  };
  const week = {
    monday,
    previous: () => setMonday(addDays(monday, -7)),
    current: () => setMonday(mondayOf(todayIn(tz))),
    next: () => setMonday(addDays(monday, 7)),
  };
  const interviewer = { value: interviewerId, set: setInterviewerId };
  return { week, view, setView, dialog, setDialog, closeDialog: () => setDialog(null), bulkDone, onAction, slots, readOnly, namesVacancies, interviewer };
}
