/** What lists and forms look up about a vacancy by its id: its title, its interview defaults. */
import { useQuery } from "@tanstack/react-query";
import { vacanciesQueryOptions } from "../api/vacancies";

/** `title(id)`: the title, `anyLabel` for `null`, "" while the list loads or for an unknown id. */
export function useVacancyTitle(anyLabel: string, enabled = true) {
  // An interviewer may not list vacancies: their calendar goes without the titles.
  const vacancies = useQuery({ ...vacanciesQueryOptions(), enabled });
  const byId = new Map((vacancies.data ?? []).map((v) => [v.id, v.title]));
  return (id: number | null | undefined) => (id == null ? anyLabel : (byId.get(id) ?? ""));
}

/**
 * A vacancy's interview defaults for a slot form (duration, places, format, place), `undefined`
 * for any vacancy or while the list loads: a new slot for a vacancy starts from them.
 */
export function useVacancyDefaults() {
  const vacancies = useQuery(vacanciesQueryOptions());
  return (id: number | null) => {
    const v = id === null ? undefined : vacancies.data?.find((x) => x.id === id);
    return v && { duration_minutes: v.duration_minutes, capacity: v.capacity, format: v.format === "office" ? "offline" : v.format, location: v.location ?? "" };
  };
}
