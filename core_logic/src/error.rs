//! The domain error every `core_logic` function returns; the services map it to HTTP or bot texts.

use thiserror::Error;

/// Why a booking-rule check refused an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// The slot has no free place left.
    SlotFull,
    /// The candidate already holds the maximum number of active upcoming bookings.
    BookingLimitReached,
    /// The candidate already booked this very slot.
    AlreadyBooked,
    /// The slot starts too soon (or already started) to be booked.
    TooLateToBook,
    /// The slot starts further ahead than candidates may book (`BOOKING_HORIZON_DAYS`).
    BeyondHorizon,
    /// The cancel / reschedule deadline before the slot has passed.
    DeadlinePassed,
    /// The slot is cancelled or deleted.
    SlotNotOpen,
    /// The booking is no longer active (cancelled, attended, ...).
    BookingNotActive,
    /// The candidate is blocked by an admin or unreachable.
    CandidateNotActive,
    /// A slot's capacity cannot go below its active bookings.
    CapacityBelowBookings,
    /// The broadcast is already finished or cancelled.
    BroadcastFinished,
    /// A unique value (a username, ...) is already taken.
    Duplicate,
    /// The bot has never started against this database, so its Telegram username is unknown.
    BotNotStarted,
    /// The vacancy is archived: its slots take no new bookings and it gets no new slots.
    VacancyArchived,
    /// The vacancy has slots, so it cannot be deleted (archive it instead).
    VacancyInUse,
    /// The slot is for another vacancy than the one the candidate is booking for.
    VacancyMismatch,
    /// People came through the invitation link, so it cannot be deleted (revoke it instead).
    LinkInUse,
    /// The last active admin cannot be demoted or deactivated.
    LastAdmin,
    /// An admin cannot deactivate their own account.
    OwnAccount,
    /// An interviewer of the slot has another booked interview at an overlapping time.
    InterviewerBusy,
    /// The waitlist offer was already answered, expired or withdrawn.
    OfferEnded,
    /// The candidate already has a waitlist offer waiting for their answer.
    OfferPending,
    /// The candidate missed `NO_SHOW_LIMIT` interviews: a recruiter must approve a new booking.
    ApprovalRequired,
    /// The approval request was already approved or refused.
    ApprovalDecided,
}

/// Everything that can go wrong in the domain.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: i64 },
    #[error("conflict: {message}")]
    Conflict { kind: ConflictKind, message: String },
    #[error("invalid {field}: {message}")]
    Validation { field: &'static str, message: String },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl Error {
    pub fn not_found(entity: &'static str, id: i64) -> Self {
        Self::NotFound { entity, id }
    }
    pub fn conflict(kind: ConflictKind, message: impl Into<String>) -> Self {
        Self::Conflict { kind, message: message.into() }
    }
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation { field, message: message.into() }
    }
    /// Whether this is a passing database condition (locked, busy, no free connection) that a
    /// retry may get past; see [`crate::db::is_transient`].
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Db(err) if crate::db::is_transient(err))
    }
    /// The conflict kind, when this is a conflict.
    pub fn conflict_kind(&self) -> Option<ConflictKind> {
        match self {
            Self::Conflict { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
