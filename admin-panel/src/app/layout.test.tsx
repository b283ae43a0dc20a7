import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ErrorState } from "@/components/query-state";
import { ApiError } from "@/lib/api-client";
import { me } from "@/testing/fixtures";
import { mockApi, renderWithProviders } from "@/testing/render";
import { Layout } from "./layout";
import { Allowed } from "./routes/allowed";

async function navFor(role: "admin" | "recruiter" | "interviewer") {
  mockApi({ "GET /api/auth/me": () => me({ role }), "GET /api/inbox": () => ({ items: [], unread: 0 }) });
  renderWithProviders(<Layout />, { lang: "ru" });
  const nav = screen.getByRole("navigation");
  await within(nav).findByRole("link", { name: "Мой профиль" });
  return within(nav)
    .getAllByRole("link")
    .map((a) => a.textContent);
}

describe("navigation by role", () => {
  it("an admin sees every page, the team included", async () => {
    const links = await navFor("admin");
    expect(links).toContain("Команда");
    expect(links).toContain("Журнал");
    expect(links).toContain("Мои собеседования");
  });

  it("a recruiter sees everything but the team", async () => {
    const links = await navFor("recruiter");
    expect(links).not.toContain("Команда");
    expect(links).toContain("Рассылки");
  });

  it("an interviewer sees only their interviews, the calendar and their profile", async () => {
    expect(await navFor("interviewer")).toEqual(["Мои собеседования", "Слоты", "Мой профиль"]);
    expect(screen.getByText(/Интервьюер/)).toBeInTheDocument();
  });
});

describe("the time zone", () => {
  it("an interviewer, who may not read the dashboard, takes the server's zone from their session", async () => {
    mockApi({ "GET /api/auth/me": () => me({ role: "interviewer", time_zone: "Asia/Yekaterinburg" }) });
    renderWithProviders(<Layout />, { lang: "ru" });
    expect(await screen.findByText(/Екатеринбург/)).toBeInTheDocument();
  });
});

describe("what a role may not use", () => {
  it("a page outside the role says so politely, with the way back", async () => {
    mockApi({ "GET /api/auth/me": () => me({ role: "interviewer" }) });
    renderWithProviders(
      <Allowed area="team">
        <p>team page</p>
      </Allowed>,
      { lang: "ru" },
    );
    expect(await screen.findByRole("heading", { name: "Недостаточно прав" })).toBeInTheDocument();
    expect(screen.queryByText("team page")).toBeNull();
    expect(screen.getByRole("link", { name: "На главную" })).toHaveAttribute("href", "/my-interviews");
  });

  it("a 403 from the API reads as the same words, with nothing to retry", () => {
    renderWithProviders(<ErrorState error={new ApiError(403, "forbidden", "forbidden")} onRetry={() => {}} />, { lang: "ru" });
    expect(screen.getByRole("alert")).toHaveTextContent("Недостаточно прав");
    expect(screen.queryByRole("button", { name: "Повторить" })).toBeNull();
  });
});
