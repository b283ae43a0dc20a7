//! The domain's rows and their statuses, as stored in SQLite and shown by the API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Declares a status enum stored as snake_case TEXT, with `as_str` for SQL built by hand.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[sqlx(type_name = "TEXT", rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The value as stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {}: {other}", stringify!($name))),
                }
            }
        }
    };
}

text_enum! {
    /// Whether a candidate can be reached.
    CandidateStatus {
        /// Talks to the bot normally.
        Active => "active",
        /// Blocked by an admin: cannot book, receives no broadcasts.
        Blocked => "blocked",
        /// Blocked the bot in Telegram: receives nothing until they write again.
        Unreachable => "unreachable",
    }
}

text_enum! {
    /// Whether a vacancy takes bookings.
    VacancyStatus {
        /// Shown to candidates; its slots can be booked.
        Active => "active",
        /// Hidden from candidates; its slots refuse new bookings, existing ones stay.
        Archived => "archived",
    }
}

text_enum! {
    /// What a panel account may do: `Admin` everything, accounts included; `Recruiter`
    /// everything but accounts; `Interviewer` their own interviews.
    Role { Admin => "admin", Recruiter => "recruiter", Interviewer => "interviewer" }
}

text_enum! {
    /// An invitation link for a channel (a source) or for one person.
    LinkKind { Source => "source", Personal => "personal" }
}

text_enum! {
    /// A slot's life cycle.
    SlotStatus { Open => "open", Cancelled => "cancelled", Deleted => "deleted" }
}

text_enum! {
    /// A booking's life cycle: `Active` until it ends one of the other ways.
    BookingStatus {
        Active => "active",
        CancelledByCandidate => "cancelled_by_candidate",
        CancelledByAdmin => "cancelled_by_admin",
        /// Replaced by a booking of another slot.
        Rescheduled => "rescheduled",
        Attended => "attended",
        NoShow => "no_show",
    }
}

text_enum! {
    /// A waitlist entry's life cycle: `Waiting` until the candidate books, leaves or is removed.
    WaitlistStatus { Waiting => "waiting", Booked => "booked", Left => "left", Removed => "removed" }
}

text_enum! {
    /// A waitlist offer's life cycle: `Held` (the seat is kept for the candidate) until it ends.
    OfferStatus {
        Held => "held",
        Accepted => "accepted",
        Declined => "declined",
        Expired => "expired",
        /// The slot changed or went, or the candidate booked another time or left the list.
        Withdrawn => "withdrawn",
    }
}

text_enum! {
    /// A no-show candidate's request to book, decided by a recruiter.
    ApprovalStatus { Requested => "requested", Approved => "approved", Refused => "refused" }
}

text_enum! {
    /// A reminder's life cycle.
    ReminderStatus {
        Pending => "pending",
        /// Claimed by the bot, being sent.
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        /// Its booking ended before it was due.
        Cancelled => "cancelled",
        /// Caught up after downtime, but the interview had already started.
        Skipped => "skipped",
    }
}

text_enum! {
    /// A broadcast's life cycle.
    BroadcastStatus {
        /// Waits for its send time.
        Scheduled => "scheduled",
        /// The event worker is writing and publishing its deliveries.
        FanningOut => "fanning_out",
        /// Every delivery is published; the bot is sending.
        Sending => "sending",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

text_enum! {
    /// What a delivery carries.
    DeliveryKind { Broadcast => "broadcast", Test => "test", Notification => "notification" }
}

text_enum! {
    /// A delivery's life cycle; `Sent`, `Failed`, `Blocked` and `Cancelled` are final.
    DeliveryStatus {
        /// Written, not yet on the queue.
        Pending => "pending",
        /// On the queue (the broker confirmed it).
        Published => "published",
        /// The bot is calling Telegram.
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        /// The candidate blocked the bot.
        Blocked => "blocked",
        Cancelled => "cancelled",
    }
}

text_enum! {
    /// Who wrote a conversation message.
    MessageDirection {
        /// The candidate wrote to the bot.
        In => "in",
        /// A recruiter replied from the panel.
        Out => "out",
    }
}

text_enum! {
    /// What a candidate attached to a message.
    AttachmentKind { Photo => "photo", Document => "document" }
}

impl DeliveryStatus {
    /// Whether nothing more will happen to a delivery in this state.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Sent | Self::Failed | Self::Blocked | Self::Cancelled)
    }
}

/// A Telegram user who talks to the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Candidate {
    pub id: i64,
    pub telegram_user_id: i64,
    pub chat_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language: String,
    pub status: CandidateStatus,
    pub start_payload: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// An interview slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Slot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub capacity: i64,
    pub format: String,
    pub location: Option<String>,
    pub notes: Option<String>,
    pub status: SlotStatus,
    /// The vacancy the interview is for; `None`: any vacancy.
    pub vacancy_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Slot {
    /// When the interview ends.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + chrono::Duration::minutes(self.duration_minutes)
    }
}

/// A slot with how many of its places are taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SlotWithCounts {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub slot: Slot,
    pub booked: i64,
    /// Places held for waitlist offers awaiting an answer.
    pub held: i64,
}

impl SlotWithCounts {
    /// Places still free (neither booked nor held).
    pub fn free(&self) -> i64 {
        (self.slot.capacity - self.booked - self.held).max(0)
    }
}

/// The SQL column of a slot `s`'s places held for waitlist offers.
pub(crate) const HELD: &str =
    "(SELECT COUNT(*) FROM waitlist_offers wo WHERE wo.slot_id = s.id AND wo.status = 'held') AS held";

/// A candidate's booking of a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Booking {
    pub id: i64,
    pub slot_id: i64,
    pub candidate_id: i64,
    pub status: BookingStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<String>,
    pub cancelled_by_admin: Option<i64>,
    pub cancel_reason: Option<String>,
    pub attendance_marked_at: Option<DateTime<Utc>>,
    pub rescheduled_from: Option<i64>,
    /// The vacancy the booking is for: its slot's, or the candidate's choice for an
    /// "any vacancy" slot.
    #[sqlx(default)]
    pub vacancy_id: Option<i64>,
}

/// A reminder of a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Reminder {
    pub id: i64,
    pub booking_id: i64,
    pub offset_minutes: i64,
    pub due_at: DateTime<Utc>,
    pub status: ReminderStatus,
    pub attempts: i64,
    pub claimed_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// A broadcast written by an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Broadcast {
    pub id: i64,
    /// What the panel calls it (never sent).
    pub title: String,
    /// Telegram HTML, for every candidate but the English-speaking ones when `text_en` is set.
    pub text: String,
    /// Telegram HTML for English-speaking candidates.
    pub text_en: Option<String>,
    /// The inline button under the message.
    #[sqlx(json(nullable))]
    pub button: Option<crate::broadcasts::BroadcastButton>,
    /// The photo above the text (`GET /api/broadcasts/photos/{id}`).
    pub photo_id: Option<i64>,
    #[sqlx(json)]
    pub segment: crate::segments::Segment,
    pub send_at: Option<DateTime<Utc>>,
    pub status: BroadcastStatus,
    pub total_recipients: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// One message to one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub kind: DeliveryKind,
    pub broadcast_id: Option<i64>,
    pub candidate_id: i64,
    pub notification: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub telegram_message_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
}
