//! Notifications the API side sends a candidate through the bot (an admin cancelled their
//! interview, the slot moved). Stored as JSON on a delivery row; the bot renders the text in the
//! candidate's language, and the delivery travels the same queue as broadcasts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::outbox::{self, Event};
use crate::time::unix;

/// The candidate's calendar event of a booking, to send as an .ics file with a notification:
/// the same UID for the booking's whole life, a higher SEQUENCE on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEvent {
    pub uid: String,
    pub sequence: i64,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub location: Option<String>,
}

/// What to tell the candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notification {
    /// An admin cancelled the booking (directly, or by cancelling or deleting its slot).
    BookingCancelled {
        booking_id: i64,
        slot_starts_at: DateTime<Utc>,
        reason: Option<String>,
        /// The event to cancel in the candidate's calendar (absent in notifications written
        /// before calendar files were sent with them).
        #[serde(default)]
        calendar: Option<CalendarEvent>,
    },
    /// An admin changed the time or place of the booked slot.
    SlotChanged {
        booking_id: i64,
        old_starts_at: DateTime<Utc>,
        new_starts_at: DateTime<Utc>,
        format: String,
        location: Option<String>,
        /// The booking's calendar event as it now stands (same UID, a higher SEQUENCE), which
        /// replaces the old one in the candidate's calendar (absent in notifications written
        /// before calendar files were sent with them).
        #[serde(default)]
        calendar: Option<CalendarEvent>,
    },
    /// An admin's test send of a broadcast before sending it to everyone: the text (Telegram
    /// HTML) in the candidate's language, and the button and photo the broadcast would carry
    /// (absent in test sends written before broadcasts had them).
    TestMessage {
        text: String,
        #[serde(default)]
        button: Option<crate::broadcasts::BroadcastButton>,
        #[serde(default)]
        photo_id: Option<i64>,
    },
    /// A recruiter's reply from the panel's inbox: plain text (not HTML), sent under a short
    /// heading.
    Reply { text: String },
    /// To an interviewer: an interview of theirs was booked, moved or cancelled.
    Interview {
        change: crate::team::Change,
        booking_id: i64,
        candidate: String,
        vacancy: Option<String>,
        starts_at: DateTime<Utc>,
        /// The time before a move.
        #[serde(default)]
        old_starts_at: Option<DateTime<Utc>>,
        duration_minutes: i64,
        #[serde(default)]
        answers: Vec<crate::questionnaire::Answer>,
    },
    /// To an interviewer, in the morning: the day's interviews.
    Agenda { day: chrono::NaiveDate, items: Vec<crate::team::AgendaItem> },
    /// To an interviewer after an interview: did the candidate come? (then a score and a note).
    FeedbackRequest { booking_id: i64, candidate: String, starts_at: DateTime<Utc> },
    /// To a waiting candidate: a seat freed and is held for them until `expires_at` (take it or
    /// not, with buttons).
    Offer {
        offer_id: i64,
        starts_at: DateTime<Utc>,
        duration_minutes: i64,
        format: String,
        location: Option<String>,
        vacancy: Option<String>,
        expires_at: DateTime<Utc>,
    },
    /// To a waiting candidate: the seat offered is no longer held (the hold expired, or the slot
    /// changed or went); they stay in the list.
    OfferEnded { starts_at: DateTime<Utc>, expired: bool },
    /// The booking was not confirmed by the deadline and was released to the waitlist.
    Released {
        booking_id: i64,
        slot_starts_at: DateTime<Utc>,
        #[serde(default)]
        calendar: Option<CalendarEvent>,
    },
    /// A recruiter decided on the candidate's request to book after no-shows.
    ApprovalDecided { approved: bool },
}

impl Notification {
    fn kind(&self) -> &'static str {
        match self {
            Self::TestMessage { .. } => "test",
            _ => "notification",
        }
    }
}

/// Writes a notification delivery for `candidate_id` and its outbox event, inside the caller's
/// transaction. Returns the delivery id.
pub async fn queue(
    conn: &mut SqliteConnection,
    candidate_id: i64,
    notification: &Notification,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(notification).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let delivery_id: i64 = sqlx::query_scalar(
        "INSERT INTO deliveries (kind, candidate_id, notification, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(notification.kind())
    .bind(candidate_id)
    .bind(json)
    .bind(unix(now))
    .bind(unix(now))
    .fetch_one(&mut *conn)
    .await?;
    outbox::insert(conn, &Event::DeliveryCreated { delivery_id }, now, now).await?;
    Ok(delivery_id)
}
