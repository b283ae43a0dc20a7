import "@mantine/core/styles.css";
import "@mantine/dates/styles.css";
import "@mantine/notifications/styles.css";
import "@mantine/charts/styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

const root = createRoot(document.getElementById("root")!);

// The env is checked before anything else loads: a bad setting shows one line, not a blank page.
import("@/lib/env")
  .then(async () => {
    const [{ AppProvider }, { AppRouter }, { makeQueryClient }] = await Promise.all([
      import("@/app/provider"),
      import("@/app/router"),
      import("@/lib/query-client"),
    ]);
    root.render(
      <StrictMode>
        <AppProvider client={makeQueryClient()}>
          <AppRouter />
        </AppProvider>
      </StrictMode>,
    );
  })
  .catch((e: unknown) => {
    root.render(<pre style={{ color: "crimson", padding: 16 }}>Configuration error: {String(e instanceof Error ? e.message : e)}</pre>);
  });
