import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { candidate, listPage } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, queryOf, renderWithProviders, type Call } from "@/testing/render";
import { CandidatesRoute } from "./candidates";

const lastQuery = (calls: Call[]) => queryOf(callsTo(calls, "GET /api/users").at(-1));

describe("CandidatesRoute", () => {
  it("lists candidates with a link to each, 50 at a time", async () => {
    const calls = mockApi({ "GET /api/users": () => listPage([candidate(), candidate({ id: 6, first_name: "Boris", last_name: null, username: null, telegram_user_id: 710002 })]) });
    renderWithProviders(<CandidatesRoute />);
    expect(await screen.findByRole("link", { name: "Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
    expect(screen.getByText("@anna")).toBeInTheDocument();
    // No username: the cell stays empty (the Telegram id is not a name).
    expect(screen.queryByText("710002")).not.toBeInTheDocument();
    expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" });
  });

  it("sends the search and the status, back on the first page", async () => {
    const calls = mockApi({ "GET /api/users": () => listPage([candidate()], 75) });
    renderWithProviders(<CandidatesRoute />);
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "50" }));

    await userEvent.type(screen.getByLabelText("Search"), "petrova");
    await waitFor(() => expect(lastQuery(calls)).toEqual({ q: "petrova", limit: "50", offset: "0" }));

    await userEvent.click(screen.getByRole("textbox", { name: "Status" }));
    await userEvent.click(await screen.findByRole("option", { name: "blocked", hidden: true }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ q: "petrova", status: "blocked", limit: "50", offset: "0" }));
  });

  it("when there are none, says how candidates arrive; with filters, offers to clear them", async () => {
    const calls = mockApi({ "GET /api/users": () => listPage([]) });
    renderWithProviders(<CandidatesRoute />);
    expect(await screen.findByText(/^No candidates yet: they appear here once they write \/start to the bot/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();

    await userEvent.type(screen.getByLabelText("Search"), "zz");
    expect(await screen.findByText(/No candidates match these filters/)).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole("button", { name: "Clear filters" }).at(-1)!);
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" }));
    expect(screen.getByLabelText("Search")).toHaveValue("");
  });

  it("shows the server's error", async () => {
    mockApi({ "GET /api/users": () => apiError(500, "internal error") });
    renderWithProviders(<CandidatesRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("internal error");
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
