/** Vacancies: the list, one vacancy, and the changes (create, save, archive, restore, delete). */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";

export type Vacancy = Schemas["Vacancy"];

/** Every vacancy, active and archived, in the bot's order. */
export const vacanciesQueryOptions = () =>
  queryOptions({
    queryKey: ["vacancies", "list"],
    queryFn: () => unwrap(api.GET("/api/vacancies")),
  });

// A vacancy's title and status show in slots, links, the funnel and the broadcast segments.
function invalidateVacancies(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["vacancies"] });
  void qc.invalidateQueries({ queryKey: ["funnel"] });
  void qc.invalidateQueries({ queryKey: ["links"] });
}

export function useSaveVacancy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields }: { id?: number; fields: Schemas["VacancyFields"] }) =>
      id === undefined
        ? unwrap(api.POST("/api/vacancies", { body: fields }))
        : unwrap(api.PUT("/api/vacancies/{id}", { params: { path: { id } }, body: fields })),
    onSuccess: () => invalidateVacancies(qc),
  });
}

export function useVacancyAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "archive" | "restore" | "delete" }) =>
      action === "archive"
        ? unwrap(api.POST("/api/vacancies/{id}/archive", { params: { path: { id } } }))
        : action === "restore"
          ? unwrap(api.POST("/api/vacancies/{id}/restore", { params: { path: { id } } }))
          : unwrap(api.DELETE("/api/vacancies/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidateVacancies(qc),
  });
}
