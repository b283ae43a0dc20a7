import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, baseUrl, unwrap, type Schemas } from "@/lib/api-client";
import { pollUnlessLive } from "@/lib/live";

/** A broadcast still moving: its page follows the live stream (or polls every 2 s while it is down). */
export const isRunning = (b: Pick<Schemas["Broadcast"], "status">) =>
  b.status === "scheduled" || b.status === "fanning_out" || b.status === "sending";

export const broadcastsQueryOptions = (page: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: ["broadcasts", "list", page],
    queryFn: () => unwrap(api.GET("/api/broadcasts", { params: { query: page } })),
    refetchInterval: (q) => (q.state.data?.items.some(isRunning) ? pollUnlessLive(2000)() : false),
  });

export const broadcastQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ["broadcasts", "detail", id],
    queryFn: () => unwrap(api.GET("/api/broadcasts/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && isRunning(q.state.data) ? pollUnlessLive(2000)() : false),
  });

export const deliveriesQueryOptions = (
  id: number,
  page: { status?: Schemas["DeliveryStatus"]; limit: number; offset: number; running: boolean },
) =>
  queryOptions({
    // `running` is part of the key: when the broadcast finishes, the list is fetched once more.
    queryKey: ["broadcasts", "deliveries", id, { status: page.status, limit: page.limit, offset: page.offset, running: page.running }],
    queryFn: () =>
      unwrap(
        api.GET("/api/broadcasts/{id}/deliveries", {
          params: { path: { id }, query: { status: page.status, limit: page.limit, offset: page.offset } },
        }),
      ),
    refetchInterval: page.running ? pollUnlessLive(2000) : false,
    placeholderData: (prev) => prev,
  });

/** How many candidates a segment reaches now. */
export const recipientsQueryOptions = (segment: Schemas["Segment"]) =>
  queryOptions({
    queryKey: ["broadcasts", "recipients", segment],
    queryFn: () => unwrap(api.POST("/api/broadcasts/recipients", { body: { segment } })),
    staleTime: 0,
  });

export function useCreateBroadcast() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CreateBroadcast"]) => unwrap(api.POST("/api/broadcasts", { body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["broadcasts"] });
      void qc.invalidateQueries({ queryKey: ["stats"] });
    },
  });
}

export function useTestSend() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["TestSend"]) => unwrap(api.POST("/api/broadcasts/test", { body })),
    onSuccess: (_data, body) => void qc.invalidateQueries({ queryKey: ["users", "detail", body.candidate_id] }),
  });
}

export function useCancelBroadcast() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.POST("/api/broadcasts/{id}/cancel", { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["broadcasts"] }),
  });
}

/** Where the panel shows a broadcast's photo (the session cookie goes with it). */
export const photoUrl = (id: number) => `${baseUrl()}/api/broadcasts/photos/${id}`;

/** Uploads a photo's bytes as they are, with the file's type (the server reads the type from the bytes). */
export function useUploadPhoto() {
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST("/api/broadcasts/photos", {
          body: file as unknown as number[],
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { "Content-Type": file.type || "application/octet-stream" },
        }),
      ),
  });
}

export function useRenameBroadcast() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title }: { id: number; title: string }) =>
      unwrap(api.PATCH("/api/broadcasts/{id}", { params: { path: { id } }, body: { title } })),
    onSuccess: (b) => {
      qc.setQueryData(["broadcasts", "detail", b.id], b);
      void qc.invalidateQueries({ queryKey: ["broadcasts", "list"] });
    },
  });
}
