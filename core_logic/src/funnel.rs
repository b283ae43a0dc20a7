//! The hiring funnel: of the people who entered a vacancy over a period (opened one of its links,
//! or chose it in the bot), how many answered its questionnaire, booked, came, did not come, or
//! cancelled and did not book again. Counted per vacancy (each person once) and per vacancy and
//! source (each link; "in the bot" for those who came without one). People are counted by the
//! first time they entered through that way, so the counts of a period do not change as people
//! come back.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::Result;
use crate::models::LinkKind;
use crate::time::unix;

/// The steps' counts of one row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Counts {
    /// Entered: opened the link (`/start` with its code), or chose the vacancy in the bot.
    pub opened: i64,
    /// Completed the questionnaire (immediately so for a vacancy without questions).
    pub answered: i64,
    /// Booked at least once.
    pub booked: i64,
    /// Came to an interview.
    pub attended: i64,
    /// Did not come.
    pub no_show: i64,
    /// Cancelled (or were cancelled) and hold no other booking.
    pub cancelled: i64,
}

/// One vacancy's funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VacancyRow {
    /// `None`: links that lead to no particular vacancy.
    pub vacancy_id: Option<i64>,
    pub vacancy_title: Option<String>,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub counts: Counts,
}

/// One source's funnel within a vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SourceRow {
    pub vacancy_id: Option<i64>,
    pub vacancy_title: Option<String>,
    /// `None`: people who entered in the bot, without a link.
    pub link_id: Option<i64>,
    pub label: Option<String>,
    pub kind: Option<LinkKind>,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub counts: Counts,
}

/// The funnel over `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Funnel {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub vacancies: Vec<VacancyRow>,
    pub sources: Vec<SourceRow>,
}

/// The per-person flags of a cohort `k` (columns `vacancy_id`, `candidate_id`), summed.
const STEPS: &str = "
    COUNT(*) AS opened,
    SUM(EXISTS (SELECT 1 FROM questionnaires q WHERE q.candidate_id = k.candidate_id
                 AND q.completed_at IS NOT NULL AND (k.vacancy_id IS NULL OR q.vacancy_id = k.vacancy_id))) AS answered,
    SUM(EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = k.candidate_id
                 AND (k.vacancy_id IS NULL OR b.vacancy_id = k.vacancy_id))) AS booked,
    SUM(EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = k.candidate_id AND b.status = 'attended'
                 AND (k.vacancy_id IS NULL OR b.vacancy_id = k.vacancy_id))) AS attended,
    SUM(EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = k.candidate_id AND b.status = 'no_show'
                 AND (k.vacancy_id IS NULL OR b.vacancy_id = k.vacancy_id))) AS no_show,
    SUM(EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = k.candidate_id
                 AND b.status IN ('cancelled_by_candidate', 'cancelled_by_admin')
                 AND (k.vacancy_id IS NULL OR b.vacancy_id = k.vacancy_id))
        AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = k.candidate_id
                 AND b.status IN ('active', 'attended', 'no_show')
                 AND (k.vacancy_id IS NULL OR b.vacancy_id = k.vacancy_id))) AS cancelled";

/// The funnel of the people who entered in `[from, to)`.
pub async fn funnel(pool: &SqlitePool, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Funnel> {
    let vacancies = format!(
        "WITH k AS (SELECT vacancy_id, candidate_id FROM funnel_touches WHERE at >= ? AND at < ?
                    GROUP BY vacancy_id, candidate_id)
         SELECT k.vacancy_id, v.title AS vacancy_title, {STEPS}
           FROM k LEFT JOIN vacancies v ON v.id = k.vacancy_id
          GROUP BY k.vacancy_id ORDER BY v.id IS NULL, v.position, v.title_key"
    );
    let sources = format!(
        "WITH k AS (SELECT vacancy_id, link_id, candidate_id FROM funnel_touches WHERE at >= ? AND at < ?
                    GROUP BY vacancy_id, link_id, candidate_id)
         SELECT k.vacancy_id, v.title AS vacancy_title, k.link_id, l.label, l.kind, {STEPS}
           FROM k LEFT JOIN vacancies v ON v.id = k.vacancy_id LEFT JOIN invite_links l ON l.id = k.link_id
          GROUP BY k.vacancy_id, k.link_id
          ORDER BY v.id IS NULL, v.position, v.title_key, l.id IS NULL, opened DESC, l.label"
    );
    let vacancies =
        sqlx::query_as(sqlx::AssertSqlSafe(vacancies)).bind(unix(from)).bind(unix(to)).fetch_all(pool).await?;
    let sources = sqlx::query_as(sqlx::AssertSqlSafe(sources)).bind(unix(from)).bind(unix(to)).fetch_all(pool).await?;
    Ok(Funnel { from, to, vacancies, sources })
}
