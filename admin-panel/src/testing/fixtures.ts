/** Server objects for tests, with overridable fields. */
import type { ApprovalView, WaitlistEntryView, WaitlistStats } from "@/features/waitlist/api/waitlist";
import type { Schemas } from "@/lib/api-client";

export const listPage = <T>(items: T[], total = items.length, offset = 0, limit = 50) => ({ items, total, offset, limit });

export const bookingRow = (over: Partial<Schemas["BookingRow"]> = {}): Schemas["BookingRow"] => ({
  id: 1,
  candidate_id: 5,
  slot_id: 3,
  slot_starts_at: "2099-03-02T07:00:00Z",
  duration_minutes: 60,
  format: "online",
  first_name: "Anna",
  last_name: "Petrova",
  username: "anna",
  telegram_user_id: 710001,
  status: "active",
  created_at: "2099-03-01T07:00:00Z",
  confirmed_at: null,
  unconfirmed: false,
  ...over,
});

export const candidate = (over: Partial<Schemas["Candidate"]> = {}): Schemas["Candidate"] => ({
  id: 5,
  chat_id: 710001,
  telegram_user_id: 710001,
  first_name: "Anna",
  last_name: "Petrova",
  username: "anna",
  language: "ru",
  status: "active",
  first_seen_at: "2099-01-01T07:00:00Z",
  last_seen_at: "2099-01-02T07:00:00Z",
  ...over,
});

export const userDetail = (over: Partial<Schemas["UserDetail"]> = {}): Schemas["UserDetail"] => ({
  ...candidate(),
  answers: [],
  bookings: [],
  deliveries: [],
  feedback: [],
  approvals: [],
  waitlist: null,
  ...over,
});

export const broadcast = (over: Partial<Schemas["BroadcastView"]> = {}): Schemas["BroadcastView"] => ({
  id: 7,
  title: "Hello there",
  text: "<b>Hello</b> there",
  segment: { kind: "all" },
  status: "completed",
  created_at: "2099-03-01T07:00:00Z",
  total_recipients: 3,
  counts: { pending: 0, published: 0, sending: 0, sent: 3, failed: 0, blocked: 0, cancelled: 0 },
  progress: 1,
  ...over,
});

export const delivery = (over: Partial<Schemas["Delivery"]> = {}): Schemas["Delivery"] => ({
  id: 1,
  broadcast_id: 7,
  candidate_id: 5,
  kind: "broadcast",
  status: "sent",
  attempts: 1,
  created_at: "2099-03-01T07:00:00Z",
  updated_at: "2099-03-01T07:00:00Z",
  sent_at: "2099-03-01T07:01:00Z",
  ...over,
});

export const deliveryRow = (over: Partial<Schemas["DeliveryRow"]> = {}): Schemas["DeliveryRow"] => ({
  ...delivery(),
  first_name: "Anna",
  last_name: "Petrova",
  username: "anna",
  ...over,
});

export const auditEntry = (over: Partial<Schemas["AuditEntry"]> = {}): Schemas["AuditEntry"] => ({
  id: 1,
  at: "2099-03-01T07:00:00Z",
  action: "slot.create",
  admin_id: 1,
  admin_username: "olga",
  entity_type: "slot",
  entity_id: 3,
  details: {},
  candidate_name: null,
  candidate_username: null,
  slot_starts_at: null,
  ...over,
});

export const stats = (over: Partial<Schemas["Dashboard"]> = {}): Schemas["Dashboard"] => ({
  time_zone: "Europe/Moscow",
  interviews_today: 3,
  interviews_this_week: 12,
  fill_rate: 0.5,
  no_show_rate: 0.25,
  candidates: 40,
  bookings_per_day: { "2099-03-02": 4 },
  from: "2099-03-02",
  to: "2099-03-29",
  slots: 20,
  places: 20,
  booked: 10,
  attended: 6,
  no_show: 2,
  cancelled: 1,
  broadcasts: 2,
  ...over,
});

export const conversationMessage = (over: Partial<Schemas["ConversationMessage"]> = {}): Schemas["ConversationMessage"] => ({
  id: 1,
  candidate_id: 5,
  direction: "in",
  text: "Can I come on Thursday?",
  created_at: "2099-03-01T07:00:00Z",
  ...over,
});

export const conversationPage = (items: Schemas["ConversationMessage"][] = [], over: Partial<Schemas["ConversationPage"]> = {}): Schemas["ConversationPage"] => ({
  items,
  total: items.length,
  has_older: false,
  unread: items.filter((m) => m.direction === "in" && !m.read_at).length,
  ...over,
});

export const conversationSummary = (over: Partial<Schemas["ConversationSummary"]> = {}): Schemas["ConversationSummary"] => ({
  candidate_id: 5,
  first_name: "Anna",
  last_name: "Petrova",
  username: "anna",
  candidate_status: "active",
  last_message_id: 3,
  last_direction: "in",
  last_text: "Can I come on Thursday?",
  last_at: "2099-03-01T07:00:00Z",
  unread: 2,
  ...over,
});

export const inboxPage = (items: Schemas["ConversationSummary"][] = [], over: Partial<Schemas["InboxPage"]> = {}): Schemas["InboxPage"] => ({
  items,
  total: items.length,
  limit: 30,
  offset: 0,
  total_unread: items.reduce((n, c) => n + c.unread, 0),
  ...over,
});

export const vacancy = (over: Partial<Schemas["Vacancy"]> = {}): Schemas["Vacancy"] => ({
  id: 3,
  title: "Курьер",
  description: null,
  duration_minutes: 30,
  format: "online",
  location: null,
  capacity: 1,
  position: 0,
  questions: [],
  show_interviewer: false,
  status: "active",
  created_at: "2099-01-01T07:00:00Z",
  updated_at: "2099-01-01T07:00:00Z",
  ...over,
});

export const linkView = (over: Partial<Schemas["LinkView"]> = {}): Schemas["LinkView"] => ({
  id: 11,
  code: "0123456789abcdef0123456789abcdef",
  kind: "source",
  label: "hh.ru",
  vacancy_id: 3,
  ends_on_booking: false,
  created_at: "2099-01-01T07:00:00Z",
  opened: 0,
  state: "active",
  url: "https://t.me/interview_bot?start=0123456789abcdef0123456789abcdef",
  ...over,
});

export const counts = (over: Partial<Schemas["Counts"]> = {}): Schemas["Counts"] => ({
  opened: 0,
  answered: 0,
  booked: 0,
  attended: 0,
  no_show: 0,
  cancelled: 0,
  ...over,
});

export const funnel = (over: Partial<Schemas["Funnel"]> = {}): Schemas["Funnel"] => ({
  from: "2099-02-01",
  to: "2099-03-02",
  vacancies: [],
  sources: [],
  ...over,
});

/** The signed-in account (`GET /api/auth/me`). */
export const me = (over: Partial<Schemas["AdminView"]> = {}): Schemas["AdminView"] => ({
  id: 1,
  username: "olga",
  display_name: "Ольга Админова",
  role: "admin",
  time_zone: "Europe/Moscow",
  ...over,
});

export const account = (over: Partial<Schemas["AccountRow"]> = {}): Schemas["AccountRow"] => ({
  id: 2,
  username: "irina",
  display_name: "Ирина Смирнова",
  role: "interviewer",
  has_password: true,
  last_seen_at: "2099-03-01T07:00:00Z",
  created_at: "2099-01-01T07:00:00Z",
  updated_at: "2099-01-01T07:00:00Z",
  ...over,
});

export const calendarSlot = (over: Partial<Schemas["CalendarSlot"]> = {}): Schemas["CalendarSlot"] => ({
  id: 3,
  starts_at: "2099-03-02T12:00:00Z",
  duration_minutes: 30,
  capacity: 1,
  booked: 0,
  held: 0,
  format: "online",
  status: "open",
  vacancy_id: null,
  ...over,
});

export const waitlistEntry = (over: Partial<WaitlistEntryView> = {}): WaitlistEntryView => ({
  id: 21,
  candidate_id: 5,
  candidate_name: "Anna Petrova",
  username: "anna",
  vacancy_id: 3,
  vacancy_title: "Курьер",
  days: [1, 3],
  parts: ["morning", "evening"],
  joined_at: "2099-03-01T07:30:00Z",
  position: 1,
  offer: null,
  ...over,
});

export const waitlistStats = (over: Partial<WaitlistStats> = {}): WaitlistStats => ({
  waiting_by_vacancy: [
    { vacancy_id: 3, vacancy_title: "Курьер", waiting: 2 },
    { vacancy_id: null, vacancy_title: null, waiting: 1 },
  ],
  offers: { held: 1, accepted: 3, declined: 1, expired: 2, withdrawn: 0 },
  refilled: 3,
  confirmation: { asked: 5, confirmed: 4, rate: 0.8 },
  no_show_by_week: [
    { week_start: "2099-02-23", attended: 3, no_show: 1, rate: 0.25 },
    { week_start: "2099-03-02", attended: 0, no_show: 0, rate: null },
  ],
  ...over,
});

export const approval = (over: Partial<ApprovalView> = {}): ApprovalView => ({
  id: 31,
  candidate_id: 6,
  candidate_name: "Boris Ivanov",
  username: "boris",
  no_shows: 2,
  status: "requested",
  requested_at: "2099-03-01T09:15:00Z",
  decided_at: null,
  decided_by_name: null,
  ...over,
});
