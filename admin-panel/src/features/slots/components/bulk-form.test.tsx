import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { mockApi, renderWithProviders } from "@/testing/render";
import { toPlan, validateBulk, type BulkValues } from "../hooks/use-bulk-form";
import { BulkForm } from "./bulk-form";

const base: BulkValues = {
  from_date: "2099-03-02",
  to_date: "2099-03-06",
  weekdays: ["1", "3"],
  windows: [{ start: "10:00", end: "12:00" }],
  duration_minutes: 45,
  gap_minutes: 15,
  capacity: 1,
  format: "online",
  ownFormat: "",
  location: "",
  vacancyId: null,
  interviewerIds: [],
  assignment: "panel",
  dailyCap: "",
  bufferMinutes: 0,
};

const slot = (starts_at: string) => ({ id: 0, starts_at, duration_minutes: 45, capacity: 1, format: "online", status: "open", created_at: starts_at, updated_at: starts_at });

describe("validateBulk", () => {
  it("accepts a plan", () => expect(validateBulk(base, en)).toEqual({}));
  it("rejects a reversed range, no weekdays, an empty window and a negative gap", () => {
    const e = validateBulk({ ...base, to_date: "2099-03-01", weekdays: [], windows: [{ start: "12:00", end: "11:00" }], gap_minutes: -1 }, en);
    expect(e).toMatchObject({ to_date: en.bulk.errors.range, weekdays: en.bulk.errors.weekdays, "windows.0.end": en.bulk.errors.windows, gap_minutes: en.bulk.errors.gap });
  });
  it("asks for the own variant's words and sends them trimmed as the format", () => {
    expect(validateBulk({ ...base, format: "own", ownFormat: "  " }, en).ownFormat).toBe(en.common.required);
    expect(toPlan({ ...base, format: "own", ownFormat: " Zoom или офис " }).format).toBe("Zoom или офис");
    expect(toPlan({ ...base, format: "phone", ownFormat: "left over" }).format).toBe("phone");
  });
  it("shares the slots among interviewers only when there are some, with their cap and buffer", () => {
    expect(toPlan({ ...base, assignment: "round_robin", dailyCap: 3, bufferMinutes: 10 })).toMatchObject({
      assignment: "panel",
      daily_cap: null,
      buffer_minutes: 0,
    });
    expect(toPlan({ ...base, interviewerIds: [4, 5], assignment: "round_robin", dailyCap: 3, bufferMinutes: 10 })).toMatchObject({
      interviewer_ids: [4, 5],
      assignment: "round_robin",
      daily_cap: 3,
      buffer_minutes: 10,
    });
    expect(toPlan({ ...base, interviewerIds: [4], assignment: "panel", dailyCap: 3 }).daily_cap).toBeNull();
    expect(validateBulk({ ...base, dailyCap: 0, bufferMinutes: 300 }, en)).toMatchObject({
      dailyCap: en.bulk.errors.dailyCap,
      bufferMinutes: en.bulk.errors.buffer,
    });
  });

  it("rejects a range over 92 days", () => {
    expect(validateBulk({ ...base, to_date: "2099-12-31" }, en).to_date).toBe(en.bulk.errors.tooLong);
  });
});

describe("BulkForm", () => {
  it("previews with dry_run, lists what is skipped, then creates", async () => {
    const calls = mockApi({
      "POST /api/slots/bulk": (_req, body) => {
        const dry = (body as { dry_run: boolean }).dry_run;
        return {
          dry_run: dry,
          // Out of order: the first created is found, not assumed first.
          created: [slot("2099-03-04T08:00:00Z"), slot("2099-03-02T21:30:00Z")],
          skipped: [{ local: "2099-03-04 10:00", reason: "overlap", starts_at: "2099-03-04T07:00:00Z" }],
        };
      },
    });
    const onDone = vi.fn();
    renderWithProviders(<BulkForm onDone={onDone} />);
    const first = screen.getByLabelText("First day");
    fireEvent.change(first, { target: { value: "10.03.2099" } });
    // The first day is picked in the calendar (hidden: jsdom lays nothing out, so Floating UI
    // deems the field detached and hides its dropdown); the last is typed day first.
    await userEvent.click(first);
    await userEvent.click(await screen.findByRole("button", { name: "2 March 2099", hidden: true }));
    await waitFor(() => expect(first).toHaveValue("02.03.2099"));
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "06.03.2099" } });
    const preview = screen.getByTestId("bulk-preview");
    const isNewPlan = (c: { body: unknown }) => (c.body as { from_date?: string; to_date?: string })?.to_date === "2099-03-06";
    await waitFor(() => expect(calls.some(isNewPlan)).toBe(true));
    await waitFor(() => expect(preview).toHaveTextContent("Slots to create: 2"));
    expect(preview).toHaveTextContent("Skipped: 1");
    expect(preview).toHaveTextContent("04.03.2099 10:00");
    expect(preview).toHaveTextContent("overlaps");
    const dry = calls.filter((c) => (c.body as { dry_run?: boolean })?.dry_run === true && isNewPlan(c)).at(-1);
    expect(dry?.body).toMatchObject({ from_date: "2099-03-02", to_date: "2099-03-06", weekdays: [1, 2, 3, 4, 5], windows: [{ start: "10:00", end: "13:00" }], duration_minutes: 45, gap_minutes: 15 });

    await userEvent.click(screen.getByRole("button", { name: "Create 2" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls.some((c) => (c.body as { dry_run?: boolean })?.dry_run === false)).toBe(true);
    // 21:30 UTC on the 2nd is 00:30 on the 3rd in Moscow: the calendar is told the local day.
    expect(onDone).toHaveBeenCalledWith("2099-03-03");
  });

  it("tells the plan's first day when the creation returns no slot", async () => {
    mockApi({
      "POST /api/slots/bulk": (_req, body) => {
        const dry = (body as { dry_run: boolean }).dry_run;
        return { dry_run: dry, created: dry ? [slot("2099-03-10T07:00:00Z")] : [], skipped: [] };
      },
    });
    const onDone = vi.fn();
    renderWithProviders(<BulkForm onDone={onDone} />);
    fireEvent.change(screen.getByLabelText("First day"), { target: { value: "09.03.2099" } });
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "13.03.2099" } });
    await userEvent.click(await screen.findByRole("button", { name: "Create 1" }, { timeout: 3000 }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("2099-03-09"));
  });

  it("has Russian date pickers and 24-hour time windows, no native date or time input", async () => {
    const calls = mockApi({ "POST /api/slots/bulk": () => ({ dry_run: true, created: [], skipped: [] }) });
    renderWithProviders(<BulkForm onDone={() => {}} />, { lang: "ru" });
    expect(document.querySelectorAll('input[type="date"], input[type="time"], input[type="datetime-local"]')).toHaveLength(0);
    expect(screen.getByText("Интервалы времени (московское время)")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Первый день"), { target: { value: "02.03.2099" } });
    fireEvent.change(screen.getByLabelText("Последний день"), { target: { value: "06.03.2099" } });
    expect(screen.getByLabelText("Начало 1: часы")).toHaveValue("10");
    await userEvent.clear(screen.getByLabelText("Конец 1: часы"));
    await userEvent.type(screen.getByLabelText("Конец 1: часы"), "14");
    await userEvent.clear(screen.getByLabelText("Конец 1: минуты"));
    await userEvent.type(screen.getByLabelText("Конец 1: минуты"), "30");
    // The plan keeps the wire formats: YYYY-MM-DD days and HH:mm windows.
    await waitFor(() =>
      expect(calls.some((c) => JSON.stringify((c.body as { windows?: unknown })?.windows) === JSON.stringify([{ start: "10:00", end: "14:30" }]))).toBe(true),
    );
    expect(calls.at(-1)?.body).toMatchObject({ from_date: "2099-03-02", to_date: "2099-03-06", windows: [{ start: "10:00", end: "14:30" }] });
  });

  it("does not ask for a preview while the plan is invalid", async () => {
    const calls = mockApi({});
    renderWithProviders(<BulkForm onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText("First day"), { target: { value: "10.03.2099" } });
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: /Create/ }));
    expect(await screen.findByText(en.bulk.errors.range)).toBeInTheDocument();
    // In act: the fields' dropdowns close meanwhile.
    await act(() => new Promise((r) => setTimeout(r, 400)));
    // The valid default plan may have been previewed; the reversed one never is.
    expect(calls.filter((c) => (c.body as { from_date?: string })?.from_date === "2099-03-10")).toHaveLength(0);
  });
});
