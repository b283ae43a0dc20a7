/** A vacancy's title by its id, for lists that carry only the id (links, slots). */
import { useQuery } from "@tanstack/react-query";
import { vacanciesQueryOptions } from "../api/vacancies";

/** `title(id)`: the title, `anyLabel` for `null`, "" while the list loads or for an unknown id. */
export function useVacancyTitle(anyLabel: string) {
  const vacancies = useQuery(vacanciesQueryOptions());
  const byId = new Map((vacancies.data ?? []).map((v) => [v.id, v.title]));
  return (id: number | null | undefined) => (id == null ? anyLabel : (byId.get(id) ?? ""));
}
