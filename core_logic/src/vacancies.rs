//! Vacancies: the positions a hiring team interviews for. Each has the defaults of the slots
//! generated for it (duration, format, place, capacity), a description the bot shows on request,
//! an order, and a status. Archiving hides a vacancy's slots from candidates and refuses new
//! bookings of them (checked inside the booking transaction, `bookings::book_in`); bookings
//! already made stay. A vacancy that slots refer to cannot be deleted: it is archived instead.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::VacancyStatus;
use crate::questionnaire::{self, Question};
use crate::slots::{MAX_CAPACITY, MAX_DURATION_MINUTES, MAX_TEXT_LEN};
use crate::time::unix;

/// The longest vacancy title (a button label in the bot).
pub const MAX_TITLE_LEN: usize = 64;

/// A vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Vacancy {
    pub id: i64,
    pub title: String,
    #[serde(skip)]
    #[schema(ignore)]
    pub title_key: String,
    pub description: Option<String>,
    pub duration_minutes: i64,
    pub format: String,
    pub location: Option<String>,
    pub capacity: i64,
    pub status: VacancyStatus,
    pub position: i64,
    /// The questions asked before a candidate picks a time, in order.
    #[schema(value_type = Vec<Question>)]
    pub questions: Json<Vec<Question>>,
    /// Candidates see their interviewer's name in the confirmation and "My booking".
    pub show_interviewer: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vacancy to create, or the whole new state of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyFields {
    pub title: String,
    pub description: Option<String>,
    pub duration_minutes: i64,
    pub format: String,
    pub location: Option<String>,
    pub capacity: i64,
    /// Smallest first; equal positions by title.
    #[serde(default)]
    pub position: i64,
    /// The questions asked before a candidate picks a time, in order.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Candidates see their interviewer's name in the bot.
    #[serde(default)]
    pub show_interviewer: bool,
}

fn clean(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

fn validate(v: &VacancyFields) -> Result<()> {
    let title = v.title.trim();
    if title.is_empty() {
        return Err(Error::validation("title", "must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_LEN {
        return Err(Error::validation("title", format!("must be at most {MAX_TITLE_LEN} characters")));
    }
    if !(1..=MAX_DURATION_MINUTES).contains(&v.duration_minutes) {
        return Err(Error::validation("duration_minutes", format!("must be between 1 and {MAX_DURATION_MINUTES}")));
    }
    if !(1..=MAX_CAPACITY).contains(&v.capacity) {
        return Err(Error::validation("capacity", format!("must be between 1 and {MAX_CAPACITY}")));
    }
    if v.format.trim().is_empty() {
        return Err(Error::validation("format", "must not be empty"));
    }
    for (field, value) in
        [("format", Some(&v.format)), ("location", v.location.as_ref()), ("description", v.description.as_ref())]
    {
        if value.is_some_and(|v| v.chars().count() > MAX_TEXT_LEN) {
            return Err(Error::validation(field, format!("must be at most {MAX_TEXT_LEN} characters")));
        }
    }
    questionnaire::validate(&v.questions)?;
    if !(0..=1_000_000).contains(&v.position) {
        return Err(Error::validation("position", "must be between 0 and 1000000"));
    }
    Ok(())
}

fn duplicate(err: sqlx::Error, title: &str) -> Error {
    if crate::db::is_unique_violation(&err) {
        Error::conflict(ConflictKind::Duplicate, format!("a vacancy titled {title:?} already exists"))
    } else {
        err.into()
    }
}

/// Creates a vacancy; a title already taken (case aside) is a conflict.
pub async fn create(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    new: &VacancyFields,
    now: DateTime<Utc>,
) -> Result<Vacancy> {
    validate(new)?;
    let title = new.title.trim();
    let mut tx = begin_write(pool).await?;
    let vacancy: Vacancy = sqlx::query_as(
        "INSERT INTO vacancies (title, title_key, description, duration_minutes, format, location, capacity, position,
                                questions, show_interviewer, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(title)
    .bind(title.to_lowercase())
    .bind(clean(&new.description))
    .bind(new.duration_minutes)
    .bind(new.format.trim())
    .bind(clean(&new.location))
    .bind(new.capacity)
    .bind(new.position)
    .bind(Json(questionnaire::cleaned(&new.questions)))
    .bind(new.show_interviewer)
    .bind(unix(now))
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| duplicate(e, title))?;
    audit::record(&mut tx, now, admin_id, "vacancy.create", "vacancy", Some(vacancy.id), audit::details(new)?).await?;
    tx.commit().await?;
    Ok(vacancy)
}

/// Replaces a vacancy's fields (its slots keep their own duration, place and capacity).
pub async fn update(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    id: i64,
    fields: &VacancyFields,
    now: DateTime<Utc>,
) -> Result<Vacancy> {
    validate(fields)?;
    let title = fields.title.trim();
    let mut tx = begin_write(pool).await?;
    let vacancy: Vacancy = sqlx::query_as(
        "UPDATE vacancies SET title = ?, title_key = ?, description = ?, duration_minutes = ?, format = ?, location = ?,
                capacity = ?, position = ?, questions = ?, show_interviewer = ?, updated_at = ?
         WHERE id = ? RETURNING *",
    )
    .bind(title)
    .bind(title.to_lowercase())
    .bind(clean(&fields.description))
    .bind(fields.duration_minutes)
    .bind(fields.format.trim())
    .bind(clean(&fields.location))
    .bind(fields.capacity)
    .bind(fields.position)
    .bind(Json(questionnaire::cleaned(&fields.questions)))
    .bind(fields.show_interviewer)
    .bind(unix(now))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| duplicate(e, title))?
    .ok_or(Error::not_found("vacancy", id))?;
    audit::record(&mut tx, now, admin_id, "vacancy.update", "vacancy", Some(id), audit::details(fields)?).await?;
    tx.commit().await?;
    Ok(vacancy)
}

/// Archives (`Archived`) or restores (`Active`) a vacancy.
pub async fn set_status(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    id: i64,
    status: VacancyStatus,
    now: DateTime<Utc>,
) -> Result<Vacancy> {
    let mut tx = begin_write(pool).await?;
    let vacancy: Vacancy = sqlx::query_as("UPDATE vacancies SET status = ?, updated_at = ? WHERE id = ? RETURNING *")
        .bind(status)
        .bind(unix(now))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("vacancy", id))?;
    if status == VacancyStatus::Archived {
        // Its slots take no bookings now: the seats held for the waitlist are withdrawn (their
        // candidates told, and still waiting).
        let held: Vec<crate::models::Slot> = sqlx::query_as(
            "SELECT * FROM slots WHERE vacancy_id = ? AND id IN (SELECT slot_id FROM waitlist_offers WHERE status = 'held')",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for slot in &held {
            crate::waitlist::withdraw_for_slot(&mut tx, slot, now).await?;
        }
    }
    let action = match status {
        VacancyStatus::Archived => "vacancy.archive",
        VacancyStatus::Active => "vacancy.restore",
    };
    audit::record(&mut tx, now, admin_id, action, "vacancy", Some(id), serde_json::json!({ "title": vacancy.title }))
        .await?;
    tx.commit().await?;
    Ok(vacancy)
}

/// Deletes a vacancy no slot refers to; one with slots is refused (archive it instead).
pub async fn delete(pool: &SqlitePool, admin_id: Option<i64>, id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let vacancy = load(&mut tx, id).await?;
    let slots: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM slots WHERE vacancy_id = ?").bind(id).fetch_one(&mut *tx).await?;
    if slots > 0 {
        return Err(Error::conflict(
            ConflictKind::VacancyInUse,
            format!("the vacancy has {slots} slots; archive it instead"),
        ));
    }
    sqlx::query("DELETE FROM vacancies WHERE id = ?").bind(id).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "vacancy.delete",
        "vacancy",
        Some(id),
        serde_json::json!({ "title": vacancy.title }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One vacancy.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Vacancy> {
    sqlx::query_as("SELECT * FROM vacancies WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("vacancy", id))
}

/// Every vacancy in its order (active first when `active_only` is false, then archived).
pub async fn list(pool: &SqlitePool, active_only: bool) -> Result<Vec<Vacancy>> {
    Ok(sqlx::query_as(
        "SELECT * FROM vacancies WHERE (? = 0 OR status = 'active')
         ORDER BY status = 'archived', position, title_key, id",
    )
    .bind(active_only)
    .fetch_all(pool)
    .await?)
}

/// A vacancy inside the caller's transaction.
pub(crate) async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Vacancy> {
    sqlx::query_as("SELECT * FROM vacancies WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::not_found("vacancy", id))
}

/// Checks, inside the caller's transaction, that new slots may be given to `vacancy_id`: it
/// exists and is active.
pub(crate) async fn check_for_slots(conn: &mut SqliteConnection, vacancy_id: Option<i64>) -> Result<()> {
    let Some(id) = vacancy_id else { return Ok(()) };
    let vacancy = load(conn, id).await.map_err(|_| Error::validation("vacancy_id", "no such vacancy"))?;
    if vacancy.status != VacancyStatus::Active {
        return Err(Error::conflict(ConflictKind::VacancyArchived, "the vacancy is archived; restore it first"));
    }
    Ok(())
}
