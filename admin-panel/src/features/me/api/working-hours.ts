/** The signed-in account's working hours: bulk generation gives them slots only within these. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";

export const workingHoursQueryOptions = () =>
  queryOptions({
    queryKey: ["me", "working-hours"],
    queryFn: () => unwrap(api.GET("/api/me/working-hours")),
  });

export function useSaveWorkingHours() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (windows: Schemas["WorkingWindow"][]) => unwrap(api.PUT("/api/me/working-hours", { body: windows })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["me", "working-hours"] }),
  });
}
