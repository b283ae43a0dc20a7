import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { addDays, mondayOf, todayIn } from "@/lib/time";
import { broadcast, listPage, stats } from "@/testing/fixtures";
import { apiError, callsTo, currentPath, mockApi, queryOf, renderWithProviders } from "@/testing/render";
import { DashboardRoute } from "./dashboard";

describe("DashboardRoute", () => {
  it("shows this week's and the next three weeks' figures and the latest five broadcasts", async () => {
    const calls = mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([broadcast()]) });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText("Interviews today")).toBeInTheDocument();
    expect(screen.getByText("Fill rate").nextSibling).toHaveTextContent("50%");
    expect(screen.getByText("No-show rate").nextSibling).toHaveTextContent("25%");
    const monday = mondayOf(todayIn("Europe/Moscow"));
    expect(queryOf(callsTo(calls, "GET /api/stats")[0])).toEqual({ from: monday, to: addDays(monday, 27) });
    const latest = await screen.findByRole("table", { name: "Latest broadcasts" });
    expect(within(latest).getByRole("link", { name: "Hello there" })).toHaveAttribute("href", "/broadcasts/7");
    expect(queryOf(callsTo(calls, "GET /api/broadcasts")[0])).toEqual({ limit: "5", offset: "0" });
  });

  it("without broadcasts, offers to write one", async () => {
    mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([]) });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText("No broadcasts yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New broadcast" }));
    expect(currentPath()).toBe("/broadcasts");
  });

  it("without bookings in the range, says to open slots instead of an empty chart", async () => {
    mockApi({ "GET /api/stats": () => stats({ bookings_per_day: { "2099-03-02": 0, "2099-03-03": 0 } }), "GET /api/broadcasts": () => listPage([]) });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText(/^No bookings in these weeks/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Go to slots" }));
    expect(currentPath()).toBe("/slots");
  });

  it("shows an error of the figures and retries", async () => {
    let fail = true;
    const calls = mockApi({ "GET /api/stats": () => (fail ? apiError(503, "stats unavailable") : stats()), "GET /api/broadcasts": () => listPage([]) });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("stats unavailable");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Interviews today")).toBeInTheDocument();
    await waitFor(() => expect(callsTo(calls, "GET /api/stats")).toHaveLength(2));
  });
});
