import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { mockApi, renderWithProviders } from "@/testing/render";
import { SlotForm, validateSlot } from "./slot-form";

const valid = { date: "2099-03-02", time: "10:30", duration_minutes: 60, capacity: 1, format: "online", location: "", notes: "" };

describe("validateSlot", () => {
  it("accepts a future slot", () => {
    expect(validateSlot(valid, "Europe/Moscow", en)).toEqual({});
  });
  it("rejects bad duration, capacity and a time in the past", () => {
    const e = validateSlot({ ...valid, date: "2000-01-01", duration_minutes: 2, capacity: 0 }, "Europe/Moscow", en);
    expect(e).toEqual({ duration_minutes: en.slots.errors.durationRange, capacity: en.slots.errors.capacityRange, time: en.slots.errors.inPast });
  });
});

describe("SlotForm", () => {
  it("shows the validation errors and sends nothing", async () => {
    const calls = mockApi({});
    renderWithProviders(<SlotForm onDone={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Required")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it("creates a slot at the local time of the server's zone", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }) });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { zone: "Europe/Moscow" });
    fireEvent.change(screen.getByLabelText(/Date/), { target: { value: "2099-03-02" } });
    fireEvent.change(screen.getByLabelText("Time"), { target: { value: "10:30" } });
    await userEvent.type(screen.getByLabelText("Location / link"), "https://meet.example/x");
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls[0]?.body).toEqual({
      starts_at: "2099-03-02T07:30:00.000Z",
      duration_minutes: 60,
      capacity: 1,
      format: "online",
      location: "https://meet.example/x",
      notes: null,
    });
  });

  it("shows the server's validation message", async () => {
    mockApi({ "POST /api/slots": () => ({ status: 422, body: { error: { code: "validation_failed", message: "starts_at: overlaps slot 3" } } }) });
    renderWithProviders(<SlotForm onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText(/Date/), { target: { value: "2099-03-02" } });
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("overlaps slot 3");
  });
});
