//! The team in Telegram. An account links its Telegram through a one-time deep link
//! (`telegram_link`); then its interviews reach it through the same queue and delivery records
//! as every other message: each booking, move and cancellation of its interviews (with the
//! candidate's name, the vacancy, the time and the questionnaire's answers), the morning agenda
//! (once a day at `AGENDA_TIME`, none when the day is empty), and after each interview "did the
//! candidate come?", then a 1-5 score and a short note, which land on the candidate's card.
//! Each timed message is a row written in the same transaction as its delivery, so it goes out
//! exactly once across restarts.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{SqliteConnection, SqlitePool};

use crate::admins::{Admin, COLUMNS};
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::notifications::{self, Notification};
use crate::questionnaire::Answer;
use crate::time::unix;

/// What happened to an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Booked,
    Moved,
    Cancelled,
}

/// One interview of an agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub starts_at: DateTime<Utc>,
    pub candidate: String,
    pub vacancy: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Interview {
    slot_id: i64,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    candidate: String,
    vacancy: Option<String>,
    answers: Option<Json<Vec<Answer>>>,
}

async fn interview(conn: &mut SqliteConnection, booking_id: i64) -> Result<Option<Interview>> {
    Ok(sqlx::query_as(
        "SELECT s.id AS slot_id, s.starts_at, s.duration_minutes,
                TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) AS candidate,
                (SELECT v.title FROM vacancies v WHERE v.id = b.vacancy_id) AS vacancy,
                (SELECT q.answers FROM questionnaires q WHERE q.candidate_id = b.candidate_id
                    AND q.vacancy_id = b.vacancy_id AND q.completed_at IS NOT NULL) AS answers
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN candidates c ON c.id = b.candidate_id
          WHERE b.id = ?",
    )
    .bind(booking_id)
    .fetch_optional(conn)
    .await?)
}

/// The linked Telegram accounts (their candidate rows) of a slot's active interviewers.
async fn reachable_interviewers(conn: &mut SqliteConnection, slot_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.telegram_candidate_id FROM slot_interviewers si JOIN admins a ON a.id = si.admin_id
          WHERE si.slot_id = ? AND a.deactivated_at IS NULL AND a.telegram_candidate_id IS NOT NULL",
    )
    .bind(slot_id)
    .fetch_all(conn)
    .await?)
}

/// Inside the caller's transaction: tells the interviewers of the booking's slot (those with a
/// linked Telegram) that it was booked, moved (from `old_starts_at`) or cancelled. `skip` are
/// accounts not to tell (told otherwise).
pub(crate) async fn notify(
    conn: &mut SqliteConnection,
    booking_id: i64,
    change: Change,
    old_starts_at: Option<DateTime<Utc>>,
    skip: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let Some(i) = interview(conn, booking_id).await? else { return Ok(vec![]) };
    let mut told = Vec::new();
    for (admin_id, telegram) in reachable_interviewers(conn, i.slot_id).await? {
        if skip.contains(&admin_id) {
            continue;
        }
        let notification = Notification::Interview {
            change,
            booking_id,
            candidate: i.candidate.clone(),
            vacancy: i.vacancy.clone(),
            starts_at: i.starts_at,
            old_starts_at,
            duration_minutes: i.duration_minutes,
            answers: i.answers.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
        };
        notifications::queue(conn, telegram, &notification, now).await?;
        told.push(admin_id);
    }
    Ok(told)
}

/// Inside the transaction of a move from `old` to `new`: the new slot's interviewers hear of a
/// move (or, new to it, of a booking); the old slot's others hear of a cancellation.
pub(crate) async fn notify_move(
    conn: &mut SqliteConnection,
    old: i64,
    new: i64,
    old_starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let old_slot: i64 =
        sqlx::query_scalar("SELECT slot_id FROM bookings WHERE id = ?").bind(old).fetch_one(&mut *conn).await?;
    let before: Vec<i64> = reachable_interviewers(conn, old_slot).await?.into_iter().map(|(a, _)| a).collect();
    let new_slot: i64 =
        sqlx::query_scalar("SELECT slot_id FROM bookings WHERE id = ?").bind(new).fetch_one(&mut *conn).await?;
    let after: Vec<i64> = reachable_interviewers(conn, new_slot).await?.into_iter().map(|(a, _)| a).collect();
    let newcomers: Vec<i64> = after.iter().copied().filter(|a| !before.contains(a)).collect();
    let stayers: Vec<i64> = after.iter().copied().filter(|a| before.contains(a)).collect();
    notify(conn, new, Change::Moved, Some(old_starts_at), &newcomers, now).await?;
    notify(conn, new, Change::Booked, None, &stayers, now).await?;
    notify(conn, old, Change::Cancelled, None, &after, now).await?;
    Ok(())
}

/// Asks the interviewers of every interview that ended (up to a day ago) and is still marked
/// active whether the candidate came; each booking and interviewer once. Returns how many were
/// asked.
pub async fn ask_feedback(pool: &SqlitePool, now: DateTime<Utc>) -> Result<usize> {
    let mut tx = begin_write(pool).await?;
    let due: Vec<(i64, i64, i64, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT b.id, a.id, a.telegram_candidate_id, TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')), s.starts_at
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN candidates c ON c.id = b.candidate_id
           JOIN slot_interviewers si ON si.slot_id = s.id JOIN admins a ON a.id = si.admin_id
          WHERE b.status = 'active' AND s.status = 'open'
            AND s.starts_at + s.duration_minutes * 60 <= ?1 AND s.starts_at + s.duration_minutes * 60 > ?1 - 86400
            AND a.deactivated_at IS NULL AND a.telegram_candidate_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM interview_feedback f WHERE f.booking_id = b.id AND f.admin_id = a.id)
          ORDER BY s.starts_at, b.id LIMIT 200",
    )
    .bind(unix(now))
    .fetch_all(&mut *tx)
    .await?;
    for (booking_id, admin_id, telegram, candidate, starts_at) in &due {
        sqlx::query("INSERT INTO interview_feedback (booking_id, admin_id, asked_at, updated_at) VALUES (?, ?, ?, ?)")
            .bind(booking_id)
            .bind(admin_id)
            .bind(unix(now))
            .bind(unix(now))
            .execute(&mut *tx)
            .await?;
        let n = Notification::FeedbackRequest {
            booking_id: *booking_id,
            candidate: candidate.clone(),
            starts_at: *starts_at,
        };
        notifications::queue(&mut tx, *telegram, &n, now).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// The local time `at` on the day of `now` in `tz`, as UTC (the earliest, around DST changes).
fn local(tz: Tz, day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    tz.from_local_datetime(&day.and_time(at))
        .earliest()
        .or_else(|| tz.from_local_datetime(&(day.and_time(at) + Duration::hours(1))).earliest())
        .map_or_else(|| Utc.from_utc_datetime(&day.and_time(at)), |t| t.with_timezone(&Utc))
}

/// Once `AGENDA_TIME` has come in `tz` today: sends each linked, active account with interviews
/// today its agenda, once a day (accounts with none are marked done without a message).
/// Returns how many agendas were queued.
pub async fn send_agendas(pool: &SqlitePool, tz: Tz, at: NaiveTime, now: DateTime<Utc>) -> Result<usize> {
    let day = now.with_timezone(&tz).date_naive();
    if now < local(tz, day, at) {
        return Ok(0);
    }
    let (start, end) = crate::segments::local_day_range(day, tz);
    let mut tx = begin_write(pool).await?;
    let accounts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.id, a.telegram_candidate_id FROM admins a
          WHERE a.deactivated_at IS NULL AND a.telegram_candidate_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM agenda_runs r WHERE r.admin_id = a.id AND r.day = ?)",
    )
    .bind(day.to_string())
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    for (admin_id, telegram) in accounts {
        let items: Vec<(DateTime<Utc>, String, Option<String>)> = sqlx::query_as(
            "SELECT s.starts_at, TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')),
                    (SELECT v.title FROM vacancies v WHERE v.id = b.vacancy_id)
               FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN candidates c ON c.id = b.candidate_id
               JOIN slot_interviewers si ON si.slot_id = s.id
              WHERE si.admin_id = ? AND b.status = 'active' AND s.status = 'open' AND s.starts_at >= ? AND s.starts_at < ?
              ORDER BY s.starts_at, b.id",
        )
        .bind(admin_id)
        .bind(unix(start))
        .bind(unix(end))
        .fetch_all(&mut *tx)
        .await?;
        let any = !items.is_empty();
        sqlx::query("INSERT INTO agenda_runs (admin_id, day, sent, at) VALUES (?, ?, ?, ?)")
            .bind(admin_id)
            .bind(day.to_string())
            .bind(any)
            .bind(unix(now))
            .execute(&mut *tx)
            .await?;
        if any {
            let items = items
                .into_iter()
                .map(|(starts_at, candidate, vacancy)| AgendaItem { starts_at, candidate, vacancy })
                .collect();
            notifications::queue(&mut tx, telegram, &Notification::Agenda { day, items }, now).await?;
            sent += 1;
        }
    }
    tx.commit().await?;
    Ok(sent)
}

/// The team account linked to a Telegram account (its candidate row), if active.
pub async fn account_of(pool: &SqlitePool, telegram_candidate_id: i64) -> Result<Option<Admin>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM admins WHERE telegram_candidate_id = ? AND deactivated_at IS NULL"
    )))
    .bind(telegram_candidate_id)
    .fetch_optional(pool)
    .await?)
}

/// Where a feedback conversation stands.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Feedback {
    pub booking_id: i64,
    pub admin_id: i64,
    pub step: String,
    pub attended: Option<bool>,
    pub score: Option<i64>,
    pub note: Option<String>,
}

async fn feedback(conn: &mut SqliteConnection, booking_id: i64, admin_id: i64) -> Result<Feedback> {
    sqlx::query_as("SELECT booking_id, admin_id, step, attended, score, note FROM interview_feedback WHERE booking_id = ? AND admin_id = ?")
        .bind(booking_id)
        .bind(admin_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::not_found("feedback", booking_id))
}

/// The interviewer answered "came" or "did not come": the booking's attendance is marked (as
/// by a recruiter, audited under the interviewer), and the score is asked next. A booking whose
/// attendance a recruiter already marked keeps it.
pub async fn answer_attendance(
    pool: &SqlitePool,
    admin_id: i64,
    booking_id: i64,
    came: bool,
    now: DateTime<Utc>,
) -> Result<Feedback> {
    {
        let mut conn = pool.acquire().await?;
        let f = feedback(&mut conn, booking_id, admin_id).await?;
        if f.step != "attendance" {
            return Err(Error::conflict(ConflictKind::BookingNotActive, "already answered"));
        }
    }
    match crate::bookings::mark_attendance(pool, Some(admin_id), booking_id, came, now).await {
        Ok(_) | Err(Error::Conflict { kind: ConflictKind::BookingNotActive, .. }) => {}
        Err(err) => return Err(err),
    }
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "UPDATE interview_feedback SET attended = ?, step = 'score', updated_at = ?
          WHERE booking_id = ? AND admin_id = ? AND step = 'attendance'",
    )
    .bind(came)
    .bind(unix(now))
    .bind(booking_id)
    .bind(admin_id)
    .execute(&mut *tx)
    .await?;
    let f = feedback(&mut tx, booking_id, admin_id).await?;
    tx.commit().await?;
    Ok(f)
}

/// The interviewer gave a score (1-5); the note is asked next.
pub async fn answer_score(
    pool: &SqlitePool,
    admin_id: i64,
    booking_id: i64,
    score: i64,
    now: DateTime<Utc>,
) -> Result<Feedback> {
    if !(1..=5).contains(&score) {
        return Err(Error::validation("score", "1 to 5"));
    }
    let mut tx = begin_write(pool).await?;
    let changed = sqlx::query(
        "UPDATE interview_feedback SET score = ?, step = 'note', updated_at = ?
          WHERE booking_id = ? AND admin_id = ? AND step = 'score'",
    )
    .bind(score)
    .bind(unix(now))
    .bind(booking_id)
    .bind(admin_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(Error::conflict(ConflictKind::BookingNotActive, "not waiting for a score"));
    }
    let f = feedback(&mut tx, booking_id, admin_id).await?;
    tx.commit().await?;
    Ok(f)
}

/// The longest note.
pub const MAX_NOTE_LEN: usize = 1000;

/// The note (or none, skipped) ends the feedback; it is audited on the candidate's booking.
pub async fn answer_note(
    pool: &SqlitePool,
    admin_id: i64,
    booking_id: i64,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Feedback> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_LEN) {
        return Err(Error::validation("note", format!("at most {MAX_NOTE_LEN} characters")));
    }
    let mut tx = begin_write(pool).await?;
    let changed = sqlx::query(
        "UPDATE interview_feedback SET note = ?, step = 'done', updated_at = ?
          WHERE booking_id = ? AND admin_id = ? AND step = 'note'",
    )
    .bind(note)
    .bind(unix(now))
    .bind(booking_id)
    .bind(admin_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(Error::conflict(ConflictKind::BookingNotActive, "not waiting for a note"));
    }
    let f = feedback(&mut tx, booking_id, admin_id).await?;
    let details = serde_json::json!({ "booking_id": booking_id, "attended": f.attended, "score": f.score });
    crate::audit::record(&mut tx, now, Some(admin_id), "feedback.record", "booking", Some(booking_id), details).await?;
    tx.commit().await?;
    Ok(f)
}

/// The feedback of `admin_id` waiting for a typed note, if any (the latest asked).
pub async fn waiting_for_note(pool: &SqlitePool, admin_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT booking_id FROM interview_feedback WHERE admin_id = ? AND step = 'note' ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(admin_id)
    .fetch_optional(pool)
    .await?)
}

/// One interviewer's feedback on a candidate's interview, for the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct FeedbackRow {
    pub booking_id: i64,
    pub slot_starts_at: DateTime<Utc>,
    pub interviewer: String,
    pub attended: Option<bool>,
    pub score: Option<i64>,
    pub note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// The feedback history of a candidate, newest interview first.
pub async fn of_candidate(pool: &SqlitePool, candidate_id: i64) -> Result<Vec<FeedbackRow>> {
    Ok(sqlx::query_as(
        "SELECT f.booking_id, s.starts_at AS slot_starts_at, COALESCE(a.display_name, a.username) AS interviewer,
                f.attended, f.score, f.note, f.updated_at
           FROM interview_feedback f JOIN bookings b ON b.id = f.booking_id JOIN slots s ON s.id = b.slot_id
           JOIN admins a ON a.id = f.admin_id
          WHERE b.candidate_id = ? AND f.step != 'attendance'
          ORDER BY s.starts_at DESC, f.admin_id",
    )
    .bind(candidate_id)
    .fetch_all(pool)
    .await?)
}
