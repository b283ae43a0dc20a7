//! The one error type of the API: the right status and `{"error": {"code", "message"}}`.
//! A 500 logs its cause and shows the client only a safe message. The JSON and query extractors
//! turn bad input into the same shape (never a panic, never a 500).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use core_logic::{ConflictKind, Error};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// The error body, as documented in OpenAPI.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable machine code and a human message.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn validation(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", format!("{field}: {message}"))
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in first")
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"))
    }
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged")
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        match err {
            Error::NotFound { entity, id } => Self::not_found(&format!("{entity} {id}")),
            Error::Validation { field, message } => Self::validation(field, message),
            Error::Conflict { kind, message } => Self::new(StatusCode::CONFLICT, conflict_code(kind), message),
            Error::Db(e) => Self::internal(e),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

fn conflict_code(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::SlotFull => "slot_full",
        ConflictKind::BookingLimitReached => "booking_limit_reached",
        ConflictKind::AlreadyBooked => "already_booked",
        ConflictKind::TooLateToBook => "too_late_to_book",
        ConflictKind::BeyondHorizon => "beyond_horizon",
        ConflictKind::DeadlinePassed => "deadline_passed",
        ConflictKind::SlotNotOpen => "slot_not_open",
        ConflictKind::BookingNotActive => "booking_not_active",
        ConflictKind::CandidateNotActive => "candidate_not_active",
        ConflictKind::CapacityBelowBookings => "capacity_below_bookings",
        ConflictKind::BroadcastFinished => "broadcast_finished",
        ConflictKind::Duplicate => "duplicate",
        ConflictKind::BotNotStarted => "bot_not_started",
        ConflictKind::VacancyArchived => "vacancy_archived",
        ConflictKind::VacancyInUse => "vacancy_in_use",
        ConflictKind::VacancyMismatch => "vacancy_mismatch",
        ConflictKind::LinkInUse => "link_in_use",
        ConflictKind::LastAdmin => "last_admin",
        ConflictKind::OwnAccount => "own_account",
        ConflictKind::InterviewerBusy => "interviewer_busy",
        ConflictKind::OfferEnded => "offer_ended",
        ConflictKind::OfferPending => "offer_pending",
        ConflictKind::ApprovalRequired => "approval_required",
        ConflictKind::ApprovalDecided => "approval_decided",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_owned(), message: self.message } };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `axum::Json` whose rejections are [`ApiError`]s: 400 for malformed JSON, 415 for a missing
/// content type, 413 for a body over the limit, 422 for wrong types or unknown fields.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", e.body_text())
        }
        JsonRejection::JsonSyntaxError(e) => ApiError::bad_request(format!("malformed JSON: {}", e.body_text())),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send JSON with Content-Type: application/json",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
        }
        other => ApiError::bad_request(other.body_text()),
    }
}

/// `axum::extract::Query` whose rejections are 400 [`ApiError`]s naming the problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(ApiError::bad_request(format!("invalid query: {}", e.body_text())))
            }
            Err(other) => Err(ApiError::bad_request(other.body_text())),
        }
    }
}

/// A path id that is not a positive integer answers 400 (or 404 when it is merely absent).
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(ApiError::bad_request(format!("invalid id {raw:?}: expected a positive integer"))),
        }
    }
}
