import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { broadcast, listPage } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, queryOf, renderWithProviders, type Call } from "@/testing/render";
import { BroadcastsRoute } from "./broadcasts";

const lastQuery = (calls: Call[]) => queryOf(callsTo(calls, "GET /api/broadcasts").at(-1));
const recipients = { "POST /api/broadcasts/recipients": () => ({ count: 3 }) };

describe("BroadcastsRoute", () => {
  it("lists broadcasts with their audience, status and progress, 20 at a time", async () => {
    const calls = mockApi({ ...recipients, "GET /api/broadcasts": () => listPage([broadcast(), broadcast({ id: 8, title: "Second", segment: { kind: "booked_on", date: "2099-03-02" }, status: "sending", progress: 0.5 })]) });
    renderWithProviders(<BroadcastsRoute />);
    expect(await screen.findByRole("link", { name: "Hello there" })).toHaveAttribute("href", "/broadcasts/7");
    const table = screen.getByRole("table", { name: "Broadcasts" });
    expect(table).toHaveTextContent("Hello there");
    expect(screen.getByRole("link", { name: "Second" })).toHaveAttribute("href", "/broadcasts/8");
    // Called by their titles, never by a number.
    expect(table).not.toHaveTextContent("#7");
    expect(table).toHaveTextContent("Booked on a date 02.03.2099");
    expect(table).toHaveTextContent("completed");
    expect(table).toHaveTextContent("50%");
    expect(lastQuery(calls)).toEqual({ limit: "20", offset: "0" });
  });

  it("pages through the broadcasts", async () => {
    const calls = mockApi({ ...recipients, "GET /api/broadcasts": () => listPage([broadcast()], 45) });
    renderWithProviders(<BroadcastsRoute />);
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "20", offset: "20" }));
    await userEvent.click(screen.getByRole("button", { name: "Page 3" }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "20", offset: "40" }));
  });

  it("when there are none, points at the form above", async () => {
    mockApi({ ...recipients, "GET /api/broadcasts": () => listPage([]) });
    renderWithProviders(<BroadcastsRoute />);
    expect(await screen.findByText("No broadcasts yet. Write the first one in the form above.")).toBeInTheDocument();
  });

  it("shows the server's error", async () => {
    mockApi({ ...recipients, "GET /api/broadcasts": () => apiError(500, "no broadcasts for you") });
    renderWithProviders(<BroadcastsRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("no broadcasts for you");
  });
});
