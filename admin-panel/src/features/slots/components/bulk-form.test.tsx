import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { mockApi, renderWithProviders } from "@/testing/render";
import { validateBulk, type BulkValues } from "../hooks/use-bulk-form";
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
  location: "",
};

const slot = (starts_at: string) => ({ id: 0, starts_at, duration_minutes: 45, capacity: 1, format: "online", status: "open", created_at: starts_at, updated_at: starts_at });

describe("validateBulk", () => {
  it("accepts a plan", () => expect(validateBulk(base, en)).toEqual({}));
  it("rejects a reversed range, no weekdays, an empty window and a negative gap", () => {
    const e = validateBulk({ ...base, to_date: "2099-03-01", weekdays: [], windows: [{ start: "12:00", end: "11:00" }], gap_minutes: -1 }, en);
    expect(e).toMatchObject({ to_date: en.bulk.errors.range, weekdays: en.bulk.errors.weekdays, "windows.0.end": en.bulk.errors.windows, gap_minutes: en.bulk.errors.gap });
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
          created: [slot("2099-03-02T07:00:00Z"), slot("2099-03-02T08:00:00Z")],
          skipped: [{ local: "2099-03-04 10:00", reason: "overlap", starts_at: "2099-03-04T07:00:00Z" }],
        };
      },
    });
    const onDone = vi.fn();
    renderWithProviders(<BulkForm onDone={onDone} />);
    fireEvent.change(screen.getByLabelText("First day"), { target: { value: "2099-03-02" } });
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "2099-03-06" } });
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
  });

  it("does not ask for a preview while the plan is invalid", async () => {
    const calls = mockApi({});
    renderWithProviders(<BulkForm onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText("First day"), { target: { value: "2099-03-10" } });
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "2099-03-02" } });
    await userEvent.click(screen.getByRole("button", { name: /Create/ }));
    expect(await screen.findByText(en.bulk.errors.range)).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 400));
    // The valid default plan may have been previewed; the reversed one never is.
    expect(calls.filter((c) => (c.body as { from_date?: string })?.from_date === "2099-03-10")).toHaveLength(0);
  });
});
