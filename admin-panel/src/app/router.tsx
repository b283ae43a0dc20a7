import { createBrowserRouter, RouterProvider } from "react-router";
import { RequireAuth } from "@/features/auth/components/require-auth";
import { Layout } from "./layout";
import { LoginRoute } from "./routes/login";
import { DashboardRoute } from "./routes/dashboard";
import { SlotsRoute } from "./routes/slots";
import { BookingsRoute } from "./routes/bookings";
import { WaitlistRoute } from "./routes/waitlist";
import { CandidatesRoute } from "./routes/candidates";
import { CandidateRoute } from "./routes/candidate";
import { BroadcastsRoute } from "./routes/broadcasts";
import { BroadcastRoute } from "./routes/broadcast";
import { AuditRoute } from "./routes/audit";
import { InboxRoute } from "./routes/inbox";
import { NotFoundRoute } from "./routes/not-found";
import { VacanciesRoute } from "./routes/vacancies";
import { InvitationsRoute } from "./routes/invitations";
import { TeamRoute } from "./routes/team";
import { SetPasswordRoute } from "./routes/set-password";
import { ProfileRoute } from "./routes/profile";
import { MyInterviewsRoute } from "./routes/my-interviews";
import { Allowed, HomeRoute } from "./routes/allowed";

const router = createBrowserRouter([
  { path: "/login", element: <LoginRoute /> },
  { path: "/set-password", element: <SetPasswordRoute /> },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomeRoute dashboard={<DashboardRoute />} /> },
      { path: "my-interviews", element: <MyInterviewsRoute /> },
      { path: "profile", element: <ProfileRoute /> },
      { path: "team", element: <Allowed area="team"><TeamRoute /></Allowed> },
      { path: "vacancies", element: <Allowed area="vacancies"><VacanciesRoute /></Allowed> },
      { path: "invitations", element: <Allowed area="invitations"><InvitationsRoute /></Allowed> },
      { path: "slots", element: <SlotsRoute /> },
      { path: "bookings", element: <Allowed area="bookings"><BookingsRoute /></Allowed> },
      { path: "waitlist", element: <Allowed area="waitlist"><WaitlistRoute /></Allowed> },
      { path: "candidates", element: <Allowed area="candidates"><CandidatesRoute /></Allowed> },
      { path: "candidates/:id", element: <Allowed area="candidateCard"><CandidateRoute /></Allowed> },
      { path: "broadcasts", element: <Allowed area="broadcasts"><BroadcastsRoute /></Allowed> },
      { path: "broadcasts/:id", element: <Allowed area="broadcasts"><BroadcastRoute /></Allowed> },
      { path: "inbox", element: <Allowed area="inbox"><InboxRoute /></Allowed> },
      { path: "inbox/:id", element: <Allowed area="inbox"><InboxRoute /></Allowed> },
      { path: "audit", element: <Allowed area="audit"><AuditRoute /></Allowed> },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
