import { createBrowserRouter, RouterProvider } from "react-router";
import { RequireAuth } from "@/features/auth/components/require-auth";
import { Layout } from "./layout";
import { LoginRoute } from "./routes/login";
import { DashboardRoute } from "./routes/dashboard";
import { SlotsRoute } from "./routes/slots";
import { BookingsRoute } from "./routes/bookings";
import { CandidatesRoute } from "./routes/candidates";
import { CandidateRoute } from "./routes/candidate";
import { BroadcastsRoute } from "./routes/broadcasts";
import { BroadcastRoute } from "./routes/broadcast";
import { AuditRoute } from "./routes/audit";
import { InboxRoute } from "./routes/inbox";
import { NotFoundRoute } from "./routes/not-found";
import { VacanciesRoute } from "./routes/vacancies";
import { InvitationsRoute } from "./routes/invitations";

const router = createBrowserRouter([
  { path: "/login", element: <LoginRoute /> },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <DashboardRoute /> },
      { path: "vacancies", element: <VacanciesRoute /> },
      { path: "invitations", element: <InvitationsRoute /> },
      { path: "slots", element: <SlotsRoute /> },
      { path: "bookings", element: <BookingsRoute /> },
      { path: "candidates", element: <CandidatesRoute /> },
      { path: "candidates/:id", element: <CandidateRoute /> },
      { path: "broadcasts", element: <BroadcastsRoute /> },
      { path: "broadcasts/:id", element: <BroadcastRoute /> },
      { path: "inbox", element: <InboxRoute /> },
      { path: "inbox/:id", element: <InboxRoute /> },
      { path: "audit", element: <AuditRoute /> },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
