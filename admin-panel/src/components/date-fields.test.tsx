import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/testing/render";
import { DateField, TimeField, parseDate } from "./date-fields";

function Probe() {
  const [date, setDate] = useState("2099-03-01");
  const [time, setTime] = useState("");
  return (
    <>
      <DateField label="Day" value={date} onChange={setDate} />
      <TimeField label="At" value={time} onChange={setTime} />
      <output data-testid="value">{`${date} ${time}`}</output>
    </>
  );
}

describe("date and time fields", () => {
  it("parses typed dates day first, never month first", () => {
    expect(parseDate("02.12.2026")).toBe("2026-12-02");
    expect(parseDate("2.12.2026")).toBe("2026-12-02");
    expect(parseDate("2026-12-02")).toBe("2026-12-02");
    expect(parseDate("13/31/2026")).toBeNull();
    expect(parseDate("02.12.20")).toBeNull();
  });

  it("shows DD.MM.YYYY and a Russian calendar in the Russian panel", async () => {
    renderWithProviders(<Probe />, { lang: "ru" });
    const day = screen.getByLabelText("Day");
    expect(day).toHaveValue("01.03.2099");
    await userEvent.click(day);
    expect(await screen.findByText("март 2099")).toBeInTheDocument();
    expect(screen.getAllByText("пн").length).toBeGreaterThan(0);
  });

  it("shows an English calendar in the English panel", async () => {
    renderWithProviders(<Probe />, { lang: "en" });
    await userEvent.click(screen.getByLabelText("Day"));
    expect(await screen.findByText("March 2099")).toBeInTheDocument();
  });

  it("reports typed dates as YYYY-MM-DD and 24-hour times as HH:mm", async () => {
    renderWithProviders(<Probe />, { lang: "ru" });
    fireEvent.change(screen.getByLabelText("Day"), { target: { value: "15.04.2099" } });
    await userEvent.type(screen.getByLabelText("At: часы"), "18");
    await userEvent.type(screen.getByLabelText("At: минуты"), "45");
    await waitFor(() => expect(screen.getByTestId("value")).toHaveTextContent("2099-04-15 18:45"));
  });

  it("names a time field without a visible label by its aria-label", async () => {
    function Unlabelled() {
      const [time, setTime] = useState("10:00");
      return (
        <>
          <TimeField aria-label="Start 1" value={time} onChange={setTime} />
          <output data-testid="value">{time}</output>
        </>
      );
    }
    renderWithProviders(<Unlabelled />, { lang: "en" });
    expect(screen.getByLabelText("Start 1: hours")).toHaveValue("10");
    await userEvent.clear(screen.getByLabelText("Start 1: minutes"));
    await userEvent.type(screen.getByLabelText("Start 1: minutes"), "15");
    await waitFor(() => expect(screen.getByTestId("value")).toHaveTextContent("10:15"));
    expect(document.querySelectorAll('input[type="time"]')).toHaveLength(0);
  });
});
