import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { auditEntry, listPage } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, queryOf, renderWithProviders, type Call } from "@/testing/render";
import { AuditRoute } from "./audit";

const lastQuery = (calls: Call[]) => queryOf(callsTo(calls, "GET /api/audit").at(-1));
const admins = () => [
  { id: 1, username: "olga" },
  { id: 2, username: "pavel" },
];

const cancelEntry = auditEntry({
  id: 5,
  action: "booking.cancel",
  entity_type: "booking",
  entity_id: 9,
  candidate_name: "Анна Иванова",
  candidate_username: "anna",
  // Wednesday 2 December 2099, 10:00 in Moscow.
  slot_starts_at: "2099-12-02T07:00:00Z",
  details: JSON.parse('{"reason":"Рекрутер заболел","slot_id":15,"candidate_id":1}'),
});

describe("AuditRoute", () => {
  it("tells each action as a sentence in Russian, with the raw details folded away", async () => {
    const calls = mockApi({
      "GET /api/audit": () =>
        listPage([
          cancelEntry,
          auditEntry({ id: 2, admin_username: null, admin_id: null, action: "admin.login_failed", entity_type: "admin", entity_id: null, details: JSON.parse('{"username":"root","ip":"10.0.0.1"}') }),
          auditEntry({ id: 3, action: "candidate.block", entity_type: "candidate", entity_id: 1, candidate_name: "Анна Иванова" }),
          auditEntry({ id: 4, action: "something.new" }),
        ]),
      "GET /api/audit/admins": admins,
    });
    renderWithProviders(<AuditRoute />, { lang: "ru" });
    const table = await screen.findByRole("table", { name: "Журнал действий" });
    expect(table).toHaveTextContent("olga отменил(а) запись кандидата Анна Иванова (@anna) на ср, 2 декабря, 10:00 — причина: Рекрутер заболел");
    expect(table).toHaveTextContent("Неудачная попытка входа с логином «root» с адреса 10.0.0.1");
    expect(table).toHaveTextContent("olga заблокировал(а) кандидата Анна Иванова");
    expect(table).toHaveTextContent("olga: другое действие");
    expect(table).not.toHaveTextContent("booking.cancel");
    expect(table).not.toHaveTextContent("something.new");
    // The raw details are there, folded: shown only once opened.
    const raw = within(table).getByText(/"slot_id": 15/);
    expect(raw).not.toBeVisible();
    await userEvent.click(within(table).getAllByRole("button", { name: "Подробности" })[0]!);
    await waitFor(() => expect(raw).toBeVisible());
    expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" });
  });

  it("says it in English too", async () => {
    mockApi({ "GET /api/audit": () => listPage([cancelEntry]), "GET /api/audit/admins": admins });
    renderWithProviders(<AuditRoute />, { lang: "en" });
    const table = await screen.findByRole("table", { name: "Audit log" });
    expect(table).toHaveTextContent("olga cancelled Анна Иванова (@anna)'s booking on Wed, 2 December, 10:00 — reason: Рекрутер заболел");
  });

  it("filters by object, admin and dates, and pages through the log", async () => {
    const calls = mockApi({ "GET /api/audit": () => listPage([auditEntry()], 130), "GET /api/audit/admins": admins });
    renderWithProviders(<AuditRoute />);
    await userEvent.click(await screen.findByRole("button", { name: "Page 3" }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "100" }));

    await userEvent.click(screen.getByRole("textbox", { name: "Object" }));
    await userEvent.click(await screen.findByRole("option", { name: "Bookings", hidden: true }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ entity_type: "booking", limit: "50", offset: "0" }));

    await userEvent.click(screen.getByRole("textbox", { name: "Admin" }));
    await userEvent.click(await screen.findByRole("option", { name: "pavel", hidden: true }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ entity_type: "booking", admin_id: "2", limit: "50", offset: "0" }));

    fireEvent.change(screen.getByLabelText("From (Moscow time)"), { target: { value: "01.03.2099" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "02.03.2099" } });
    await waitFor(() =>
      expect(lastQuery(calls)).toEqual({
        entity_type: "booking",
        admin_id: "2",
        from: "2099-02-28T21:00:00.000Z",
        to: "2099-03-02T21:00:00.000Z",
        limit: "50",
        offset: "0",
      }),
    );
  });

  it("when empty, says what will appear and offers the slots; with a filter, offers to clear it", async () => {
    const calls = mockApi({ "GET /api/audit": () => listPage([]), "GET /api/audit/admins": admins });
    renderWithProviders(<AuditRoute />);
    expect(await screen.findByText(/Nothing logged yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Go to slots" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Object" }));
    await userEvent.click(await screen.findByRole("option", { name: "Team and logins", hidden: true }));
    expect(await screen.findByText(/No actions match these filters/)).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole("button", { name: "Clear filters" }).at(-1)!);
    await waitFor(() => expect(lastQuery(calls)).toEqual({ limit: "50", offset: "0" }));
  });

  it("shows the server's error and retries", async () => {
    const calls = mockApi({ "GET /api/audit": () => apiError(500, "audit unavailable"), "GET /api/audit/admins": admins });
    renderWithProviders(<AuditRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("audit unavailable");
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(callsTo(calls, "GET /api/audit")).toHaveLength(2));
  });
});
