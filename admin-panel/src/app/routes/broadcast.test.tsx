import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { broadcast, deliveryRow, linkView, listPage, vacancy } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, queryOf, renderWithProviders, type Call } from "@/testing/render";
import { BroadcastRoute } from "./broadcast";

const at = { route: "/broadcasts/7", path: "/broadcasts/:id" };
const lastDeliveries = (calls: Call[]) => queryOf(callsTo(calls, "GET /api/broadcasts/7/deliveries").at(-1));

describe("BroadcastRoute", () => {
  it("shows the broadcast and its deliveries, 50 at a time", async () => {
    const calls = mockApi({
      "GET /api/broadcasts/7": () => broadcast(),
      "GET /api/broadcasts/7/deliveries": () => listPage([deliveryRow(), deliveryRow({ id: 2, candidate_id: 6, first_name: "Boris", last_name: null, username: null, status: "failed", sent_at: null, last_error: "chat not found" })]),
    });
    renderWithProviders(<BroadcastRoute />, at);
    expect(await screen.findByRole("heading", { name: "Hello there" })).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "Deliveries" });
    // People by name, never "#5".
    expect(within(table).getByRole("link", { name: "Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
    expect(table).toHaveTextContent("Anna Petrova @anna");
    expect(within(table).getByRole("link", { name: "Boris" })).toHaveAttribute("href", "/candidates/6");
    expect(table).not.toHaveTextContent("#5");
    expect(table).toHaveTextContent("sent01.03.2099 10:01");
    expect(table).toHaveTextContent("failed—chat not found");
    expect(lastDeliveries(calls)).toEqual({ limit: "50", offset: "0" });
  });

  it("pages through the deliveries", async () => {
    const calls = mockApi({
      "GET /api/broadcasts/7": () => broadcast(),
      "GET /api/broadcasts/7/deliveries": () => listPage([deliveryRow()], 120),
    });
    renderWithProviders(<BroadcastRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastDeliveries(calls)).toEqual({ limit: "50", offset: "50" }));
    await userEvent.click(screen.getByRole("button", { name: "Page 3" }));
    await waitFor(() => expect(lastDeliveries(calls)).toEqual({ limit: "50", offset: "100" }));
  });

  it("filters the deliveries by status, back on the first page, and offers to clear an empty filter", async () => {
    const calls = mockApi({
      "GET /api/broadcasts/7": () => broadcast(),
      "GET /api/broadcasts/7/deliveries": (req) => (new URL(req.url).searchParams.get("status") ? listPage([]) : listPage([deliveryRow()], 120)),
    });
    renderWithProviders(<BroadcastRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await userEvent.click(screen.getByRole("textbox", { name: "Status" }));
    await userEvent.click(await screen.findByRole("option", { name: "failed", hidden: true }));
    await waitFor(() => expect(lastDeliveries(calls)).toEqual({ status: "failed", limit: "50", offset: "0" }));
    expect(await screen.findByText(/No deliveries with this status/)).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole("button", { name: "Clear filters" }).at(-1)!);
    await waitFor(() => expect(lastDeliveries(calls)).toEqual({ limit: "50", offset: "0" }));
  });

  it("says when there are no deliveries yet", async () => {
    mockApi({
      "GET /api/broadcasts/7": () => broadcast({ status: "completed", counts: {}, progress: 0 }),
      "GET /api/broadcasts/7/deliveries": () => listPage([]),
    });
    renderWithProviders(<BroadcastRoute />, at);
    expect(await screen.findByText(/^No deliveries yet: they appear once the broadcast starts sending/)).toBeInTheDocument();
  });

  it("shows an error of the deliveries under the broadcast", async () => {
    mockApi({
      "GET /api/broadcasts/7": () => broadcast(),
      "GET /api/broadcasts/7/deliveries": () => apiError(500, "deliveries unavailable"),
    });
    renderWithProviders(<BroadcastRoute />, at);
    expect(await screen.findByRole("alert")).toHaveTextContent("deliveries unavailable");
    expect(screen.getByRole("heading", { name: "Hello there" })).toBeInTheDocument();
  });

  it("stopping a running broadcast asks first, then refetches it at once", async () => {
    let cancelled = false;
    const calls = mockApi({
      "GET /api/broadcasts/7": () => broadcast({ status: cancelled ? "cancelled" : "sending", progress: 0.3 }),
      "GET /api/broadcasts/7/deliveries": () => listPage([deliveryRow({ status: "pending", sent_at: null })]),
      "POST /api/broadcasts/7/cancel": () => {
        cancelled = true;
        return { status: 204 };
      },
    });
    renderWithProviders(<BroadcastRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Stop broadcast" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Stop this broadcast? Unsent messages will not go out.");
    await userEvent.click(within(dialog).getByRole("button", { name: "Stop broadcast" }));

    await waitFor(() => expect(callsTo(calls, "POST /api/broadcasts/7/cancel")).toHaveLength(1));
    const posted = callsTo(calls, "POST /api/broadcasts/7/cancel")[0]!.at;
    // Refetched because of the cancel, not by the 2 s polling of a running broadcast.
    await waitFor(() => expect(callsTo(calls, "GET /api/broadcasts/7").some((c) => c.at > posted && c.at - posted < 500)).toBe(true));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Stop broadcast" })).toBeNull());
    expect(screen.getAllByText("cancelled").length).toBeGreaterThan(0);
  });

  it("renames the broadcast inline and refuses a title over 80 characters", async () => {
    const calls = mockApi({
      "GET /api/broadcasts/7": () => broadcast(),
      "GET /api/broadcasts/7/deliveries": () => listPage([]),
      "PATCH /api/broadcasts/7": (_r, body) => broadcast({ title: (body as { title: string }).title }),
    });
    renderWithProviders(<BroadcastRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Rename" }));
    const field = screen.getByRole("textbox", { name: "Title" });
    await userEvent.clear(field);
    await userEvent.type(field, "x".repeat(81));
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.clear(field);
    await userEvent.type(field, "December slots{Enter}");
    expect(await screen.findByRole("heading", { name: "December slots" })).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ title: "December slots" });
  });

  it("names the audience of a vacancy's or a source's broadcast by its title", async () => {
    mockApi({
      "GET /api/broadcasts/7": () => broadcast({ segment: { kind: "source", link_id: 11 } }),
      "GET /api/broadcasts/8": () => broadcast({ id: 8, segment: { kind: "answered_never_booked", vacancy_id: 3 } }),
      "GET /api/broadcasts/7/deliveries": () => listPage([]),
      "GET /api/broadcasts/8/deliveries": () => listPage([]),
      "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })],
      "GET /api/links": () => [linkView({ id: 11, label: "hh.ru" })],
    });
    const first = renderWithProviders(<BroadcastRoute />, { ...at, lang: "ru" });
    expect(await screen.findByText(/^По источнику \(ссылке\): hh\.ru · /)).toBeInTheDocument();
    first.unmount();
    renderWithProviders(<BroadcastRoute />, { route: "/broadcasts/8", path: "/broadcasts/:id", lang: "ru" });
    expect(await screen.findByText(/^Ответили на анкету, но не записались: Курьер · /)).toBeInTheDocument();
  });
});
