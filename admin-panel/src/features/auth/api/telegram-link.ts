import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api-client";

/** The admin's own Telegram account (for test sends to themself). */
export const myTelegramQueryOptions = () =>
  queryOptions({
    queryKey: ["me", "telegram"],
    queryFn: () => unwrap(api.GET("/api/me/telegram")),
  });

/** A new one-time link (a newer one replaces the older). */
export function useTelegramLinkOffer() {
  return useMutation({ mutationFn: () => unwrap(api.POST("/api/me/telegram/link")) });
}

export function useUnlinkTelegram() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/me/telegram")),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["me", "telegram"] }),
  });
}
