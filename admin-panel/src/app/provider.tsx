import { MantineProvider, createTheme } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { setUnauthorizedHandler } from "@/lib/api-client";
import { PanelDatesProvider } from "@/components/date-fields";
import { I18nProvider } from "@/lib/i18n";
import { meQueryOptions } from "@/features/auth/api/auth";

const theme = createTheme({ primaryColor: "indigo", defaultRadius: "md" });

export function AppProvider({ client, children }: { client: QueryClient; children: ReactNode }) {
  useEffect(() => {
    // Any 401: forget the session; RequireAuth then shows the login page and comes back after.
    setUnauthorizedHandler(() => client.setQueryData(meQueryOptions().queryKey, null));
    return () => setUnauthorizedHandler(undefined);
  }, [client]);
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <QueryClientProvider client={client}>
        <I18nProvider>
          <PanelDatesProvider>{children}</PanelDatesProvider>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
