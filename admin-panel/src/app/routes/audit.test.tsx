import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { auditEntry, listPage } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, queryOf, renderWithProviders, type Call } from "@/testing/render";
import { AuditRoute } from "./audit";

const lastQuery = (calls: Call[]) => queryOf(callsTo(calls, "GET /api/audit").at(-1));

describe("AuditRoute", () => {
  it("lists what admins did, newest first as the server sends it, 50 at a time", async () => {
    const calls = mockApi({ "GET /api/audit": () => listPage([auditEntry({ details: JSON.parse('{"capacity":2}') }), auditEntry({ id: 2, admin_username: null, admin_id: null })]) });
    renderWithProviders(<AuditRoute />);
    const table = await screen.findByRole("table", { name: "Audit log" });
    expect(table).toHaveTextContent("01.03.2099 10:00olgaslot.createslot #3");
    expect(table).toHaveTextContent('{"capacity":2}');
    expect(table).toHaveTextContent("—");
    expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" });
  });

  it("filters by entity and pages through the log", async () => {
    const calls = mockApi({ "GET /api/audit": () => listPage([auditEntry()], 130) });
    renderWithProviders(<AuditRoute />);
    await userEvent.click(await screen.findByRole("button", { name: "Page 3" }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "100" }));

    await userEvent.click(screen.getByRole("textbox", { name: "Entity" }));
    await userEvent.click(await screen.findByRole("option", { name: "booking", hidden: true }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ entity_type: "booking", limit: "50", offset: "0" }));
  });

  it("when empty, says what will appear; with a filter, offers to clear it", async () => {
    const calls = mockApi({ "GET /api/audit": () => listPage([]) });
    renderWithProviders(<AuditRoute />);
    expect(await screen.findByText(/Nothing logged yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Entity" }));
    await userEvent.click(await screen.findByRole("option", { name: "admin", hidden: true }));
    expect(await screen.findByText(/No actions on this kind of entity/)).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole("button", { name: "Clear filters" }).at(-1)!);
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" }));
  });

  it("shows the server's error and retries", async () => {
    const calls = mockApi({ "GET /api/audit": () => apiError(500, "audit unavailable") });
    renderWithProviders(<AuditRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("audit unavailable");
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(callsTo(calls, "GET /api/audit")).toHaveLength(2));
  });
});
