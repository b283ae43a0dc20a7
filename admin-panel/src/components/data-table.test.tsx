import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { mockPhoneWidth, renderWithProviders } from "@/testing/render";
import { cardColumns, DataTable, type Column } from "./data-table";

type Person = { id: number; name: string; city: string; note: string };
const people: Person[] = [
  { id: 1, name: "Anna", city: "Kazan", note: "first" },
  { id: 2, name: "Boris", city: "Omsk", note: "second" },
];
const columns: Column<Person>[] = [
  { key: "city", header: "City", cell: (p) => p.city, cardPriority: 2 },
  { key: "name", header: "Name", cell: (p) => p.name, cardPriority: 1 },
  { key: "note", header: "Note", cell: (p) => p.note, hideOnCard: true },
  { key: "actions", header: "Actions", cardLabel: null, cell: (p) => <button type="button">Open {p.name}</button> },
];

describe("DataTable", () => {
  it("shows a table with a header row and one row per item, with the total", () => {
    renderWithProviders(<DataTable columns={columns} rows={people} rowKey={(p) => p.id} label="People" paging={{ total: 2, page: 1, pageSize: 50, onPageChange: () => {} }} />);
    const table = screen.getByRole("table", { name: "People" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["City", "Name", "Note", "Actions"]);
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("KazanAnnafirstOpen Anna");
    expect(screen.getByText("Total: 2")).toBeInTheDocument();
    // One page: no page switcher.
    expect(screen.queryByRole("button", { name: "Next page" })).toBeNull();
  });

  it("says to scroll sideways only when the table is wider than its box", () => {
    const width = (el: Element, prop: "scrollWidth" | "clientWidth", fallback: number) =>
      vi.spyOn(el.constructor.prototype as HTMLElement, prop, "get").mockReturnValue(fallback);
    const { unmount } = renderWithProviders(<DataTable columns={columns} rows={people} rowKey={(p) => p.id} label="People" />);
    expect(screen.queryByText(/scroll it sideways/)).toBeNull();
    unmount();
    width(document.createElement("table"), "scrollWidth", 900);
    width(document.createElement("div"), "clientWidth", 400);
    renderWithProviders(<DataTable columns={columns} rows={people} rowKey={(p) => p.id} label="People" />);
    expect(screen.getByText("The table is wider than the screen: scroll it sideways →")).toBeVisible();
  });

  it("switches pages through the pager", async () => {
    const onPageChange = vi.fn();
    renderWithProviders(<DataTable columns={columns} rows={people} rowKey={(p) => p.id} paging={{ total: 120, page: 1, pageSize: 50, onPageChange }} />);
    expect(screen.getByText("Total: 120")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(onPageChange).toHaveBeenLastCalledWith(2);
    await userEvent.click(screen.getByRole("button", { name: "Page 3" }));
    expect(onPageChange).toHaveBeenLastCalledWith(3);
  });

  it("shows loading while there are no rows yet", () => {
    renderWithProviders(<DataTable columns={columns} rows={undefined} rowKey={(p) => p.id} loading />);
    expect(screen.getByText("Loading…")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows an error with a retry button", async () => {
    const onRetry = vi.fn();
    renderWithProviders(<DataTable columns={columns} rows={undefined} rowKey={(p) => p.id} error={new Error("server down")} onRetry={onRetry} />);
    expect(screen.getByRole("alert")).toHaveTextContent("server down");
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalled();
  });

  it("says what to do when the list is empty, and offers it", async () => {
    const onClick = vi.fn();
    renderWithProviders(
      <DataTable columns={columns} rows={[]} rowKey={(p) => p.id} emptyMessage="Nobody yet: invite someone." emptyAction={{ label: "Invite", onClick }} />,
    );
    expect(screen.getByText("Nobody yet: invite someone.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect(onClick).toHaveBeenCalled();
  });

  it("falls back to a plain empty text", () => {
    renderWithProviders(<DataTable columns={columns} rows={[]} rowKey={(p) => p.id} />);
    expect(screen.getByText("Nothing here")).toBeInTheDocument();
  });

  it("on a phone, shows each row as a card of label: value pairs", () => {
    mockPhoneWidth();
    renderWithProviders(<DataTable columns={columns} rows={people} rowKey={(p) => p.id} label="People" paging={{ total: 2, page: 1, pageSize: 50, onPageChange: () => {} }} />);
    expect(screen.queryByRole("table")).toBeNull();
    const cards = within(screen.getByRole("list", { name: "People" })).getAllByRole("listitem");
    expect(cards).toHaveLength(2);
    const first = cards[0]!;
    // Ordered by card priority: Name, then City; the note is left off; the actions stand alone.
    expect(first).toHaveTextContent(/^NameAnnaCityKazanOpen Anna$/);
    expect(within(first).getByText("Name").nextSibling).toHaveTextContent("Anna");
    expect(within(first).queryByText("Note")).toBeNull();
    expect(within(first).queryByText("Actions")).toBeNull();
    expect(within(first).getByRole("button", { name: "Open Anna" })).toBeInTheDocument();
    expect(screen.getByText("Total: 2")).toBeInTheDocument();
  });

  it("on a phone, leaves off a label whose value is empty", () => {
    mockPhoneWidth();
    const withNick: Column<Person>[] = [...columns, { key: "nick", header: "Nick", cell: (p) => (p.id === 2 ? "bob" : null) }];
    renderWithProviders(<DataTable columns={withNick} rows={people} rowKey={(p) => p.id} />);
    const [anna, boris] = screen.getAllByRole("listitem");
    expect(within(anna!).queryByText("Nick")).toBeNull();
    expect(within(boris!).getByText("Nick").nextSibling).toHaveTextContent("bob");
  });
});

describe("cardColumns", () => {
  it("puts prioritised columns first and keeps the others in order", () => {
    const keys = cardColumns<Person>([
      { key: "a", cell: () => null },
      { key: "b", cell: () => null, cardPriority: 0 },
      { key: "c", cell: () => null, hideOnCard: true },
      { key: "d", cell: () => null },
    ]).map((c) => c.key);
    expect(keys).toEqual(["b", "a", "d"]);
  });
});
