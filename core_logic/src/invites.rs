//! Invitation links, `https://t.me/<bot>?start=<code>`. A source link is one channel's ("hh.ru",
//! a poster): everyone who opens it is counted under it. A personal link is one person's: the
//! first Telegram account that opens it is bound to it (exactly one, whatever the race), it
//! cannot be used by another account, and it ends at its expiry date or, when so chosen, with
//! the person's first booking. Opening a link records a funnel touch, the candidate's first and
//! last link (first and last touch), and the link's vacancy as the candidate's current choice.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::VacancyStatus;
use crate::time::unix;
use crate::vacancies::{self, Vacancy};

/// The longest label (a source's name or a person's name).
pub const MAX_LABEL_LEN: usize = 100;
/// The longest note.
pub const MAX_NOTE_LEN: usize = 500;
/// The most personal invitations one CSV import may create.
pub const MAX_IMPORT_ROWS: usize = 1000;

pub use crate::models::LinkKind;

/// An invitation link as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct InviteLink {
    pub id: i64,
    /// The `/start` payload: 32 hex characters (128 random bits).
    pub code: String,
    pub kind: LinkKind,
    pub vacancy_id: Option<i64>,
    /// The source's label, or the invited person's name.
    pub label: String,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Personal links: the link ends with the person's first booking.
    pub ends_on_booking: bool,
    /// Personal links: the Telegram account bound to it.
    pub candidate_id: Option<i64>,
    pub bound_at: Option<DateTime<Utc>>,
    /// Personal links ending on booking: when the person booked.
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Whether a link still works, and if not why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Active,
    Expired,
    Used,
    Revoked,
}

impl InviteLink {
    /// The link's state at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> LinkState {
        if self.revoked_at.is_some() {
            LinkState::Revoked
        } else if self.used_at.is_some() {
            LinkState::Used
        } else if self.expires_at.is_some_and(|e| e <= now) {
            LinkState::Expired
        } else {
            LinkState::Active
        }
    }
}

/// A link to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    pub kind: LinkKind,
    #[serde(default)]
    pub vacancy_id: Option<i64>,
    pub label: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Personal links: end with the first booking (the default).
    #[serde(default = "yes")]
    pub ends_on_booking: bool,
}

fn yes() -> bool {
    true
}

/// A fresh code: 128 random bits as 32 lowercase hex characters.
pub fn new_code() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Whether a `/start` payload has the shape of an invitation code.
pub fn looks_like_code(payload: &str) -> bool {
    payload.len() == 32 && payload.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// `https://t.me/<bot>?start=<code>`.
pub fn url(bot_username: &str, code: &str) -> String {
    format!("https://t.me/{bot_username}?start={code}")
}

fn clean(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

fn validate(new: &NewLink, now: DateTime<Utc>) -> Result<()> {
    let label = new.label.trim().chars().count();
    if label == 0 || label > MAX_LABEL_LEN {
        let what = if new.kind == LinkKind::Personal { "name" } else { "label" };
        return Err(Error::validation("label", format!("the {what} must be 1 to {MAX_LABEL_LEN} characters")));
    }
    if new.note.as_deref().is_some_and(|n| n.chars().count() > MAX_NOTE_LEN) {
        return Err(Error::validation("note", format!("must be at most {MAX_NOTE_LEN} characters")));
    }
    if let Some(phone) = clean(new.phone.as_deref())
        && crate::questionnaire::normalize_phone(&phone).is_none()
    {
        return Err(Error::validation("phone", "is not a phone number"));
    }
    if new.kind == LinkKind::Source && clean(new.phone.as_deref()).is_some() {
        return Err(Error::validation("phone", "only a personal invitation has a phone"));
    }
    if new.expires_at.is_some_and(|e| e <= now) {
        return Err(Error::validation("expires_at", "must be in the future"));
    }
    Ok(())
}

async fn check_vacancy(conn: &mut SqliteConnection, vacancy_id: Option<i64>) -> Result<()> {
    let Some(id) = vacancy_id else { return Ok(()) };
    let vacancy = vacancies::load(conn, id).await.map_err(|_| Error::validation("vacancy_id", "no such vacancy"))?;
    if vacancy.status != VacancyStatus::Active {
        return Err(Error::conflict(ConflictKind::VacancyArchived, "the vacancy is archived; restore it first"));
    }
    Ok(())
}

async fn insert(
    conn: &mut SqliteConnection,
    admin_id: Option<i64>,
    new: &NewLink,
    now: DateTime<Utc>,
) -> Result<InviteLink> {
    let phone = clean(new.phone.as_deref()).and_then(|p| crate::questionnaire::normalize_phone(&p));
    Ok(sqlx::query_as(
        "INSERT INTO invite_links (code, kind, vacancy_id, label, phone, note, expires_at, ends_on_booking,
                                   created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(new_code())
    .bind(new.kind)
    .bind(new.vacancy_id)
    .bind(new.label.trim())
    .bind(phone)
    .bind(clean(new.note.as_deref()))
    .bind(new.expires_at.map(unix))
    .bind(new.ends_on_booking)
    .bind(admin_id)
    .bind(unix(now))
    .fetch_one(conn)
    .await?)
}

/// Creates a link.
pub async fn create(pool: &SqlitePool, admin_id: Option<i64>, new: &NewLink, now: DateTime<Utc>) -> Result<InviteLink> {
    validate(new, now)?;
    let mut tx = begin_write(pool).await?;
    check_vacancy(&mut tx, new.vacancy_id).await?;
    let link = insert(&mut tx, admin_id, new, now).await?;
    let details = serde_json::json!({ "kind": link.kind, "label": link.label, "vacancy_id": link.vacancy_id });
    audit::record(&mut tx, now, admin_id, "link.create", "invite_link", Some(link.id), details).await?;
    tx.commit().await?;
    Ok(link)
}

/// Personal invitations from CSV text: a header row naming `name` (required), `phone` and
/// `note` (optional, in any order, Russian headers `имя`, `телефон`, `заметка` too), then one
/// person per row. All or nothing: an error names its line and nothing is created.
pub async fn import_personal(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    csv: &str,
    vacancy_id: Option<i64>,
    expires_at: Option<DateTime<Utc>>,
    ends_on_booking: bool,
    now: DateTime<Utc>,
) -> Result<Vec<InviteLink>> {
    let rows = parse_csv(csv)?;
    let mut people = Vec::with_capacity(rows.len());
    let mut lines = rows.into_iter();
    let header: Vec<String> = lines.next().unwrap_or_default().iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let name_col = column(&["name", "имя", "фио"])
        .ok_or_else(|| Error::validation("csv", "line 1: the header needs a name column (name or имя)"))?;
    let phone_col = column(&["phone", "телефон"]);
    let note_col = column(&["note", "заметка", "комментарий"]);
    for (i, row) in lines.enumerate() {
        let line = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell =
            |col: Option<usize>| col.and_then(|c| row.get(c)).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let new = NewLink {
            kind: LinkKind::Personal,
            vacancy_id,
            label: cell(Some(name_col)).unwrap_or_default(),
            phone: cell(phone_col),
            note: cell(note_col),
            expires_at,
            ends_on_booking,
        };
        validate(&new, now).map_err(|err| match err {
            Error::Validation { message, .. } => Error::validation("csv", format!("line {line}: {message}")),
            other => other,
        })?;
        people.push(new);
    }
    if people.is_empty() {
        return Err(Error::validation("csv", "no one to invite: add a row per person under the header"));
    }
    if people.len() > MAX_IMPORT_ROWS {
        return Err(Error::validation("csv", format!("at most {MAX_IMPORT_ROWS} people per import")));
    }
    let mut tx = begin_write(pool).await?;
    check_vacancy(&mut tx, vacancy_id).await?;
    let mut links = Vec::with_capacity(people.len());
    for new in &people {
        links.push(insert(&mut tx, admin_id, new, now).await?);
    }
    let details = serde_json::json!({ "count": links.len(), "vacancy_id": vacancy_id });
    audit::record(&mut tx, now, admin_id, "link.import", "invite_link", None, details).await?;
    tx.commit().await?;
    Ok(links)
}

/// Splits CSV text (comma or semicolon separated, as spreadsheets save it; quoted cells with
/// doubled quotes) into rows of cells.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    let sep = if first_line.matches(';').count() > first_line.matches(',').count() { ';' } else { ',' };
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (c, false) if c == sep => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if quoted {
        return Err(Error::validation("csv", format!("line {}: a quote is not closed", rows.len() + 1)));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// Revokes a link: it stops working at once; its history stays.
pub async fn revoke(pool: &SqlitePool, admin_id: Option<i64>, id: i64, now: DateTime<Utc>) -> Result<InviteLink> {
    let mut tx = begin_write(pool).await?;
    let link: InviteLink =
        sqlx::query_as("UPDATE invite_links SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING *")
            .bind(unix(now))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::not_found("invite_link", id))?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "link.revoke",
        "invite_link",
        Some(id),
        serde_json::json!({ "label": link.label }),
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// Deletes a link nobody opened; one with visitors is refused (revoke it instead, so the funnel
/// keeps its history).
pub async fn delete(pool: &SqlitePool, admin_id: Option<i64>, id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let link: InviteLink = sqlx::query_as("SELECT * FROM invite_links WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("invite_link", id))?;
    let used: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM funnel_touches WHERE link_id = ?1)
             OR EXISTS (SELECT 1 FROM candidates WHERE first_link_id = ?1 OR last_link_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if used || link.candidate_id.is_some() {
        return Err(Error::conflict(ConflictKind::LinkInUse, "people came through this link; revoke it instead"));
    }
    sqlx::query("DELETE FROM invite_links WHERE id = ?").bind(id).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "link.delete",
        "invite_link",
        Some(id),
        serde_json::json!({ "label": link.label }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One link.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<InviteLink> {
    sqlx::query_as("SELECT * FROM invite_links WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("invite_link", id))
}

/// A link with how many people opened it, for the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LinkSummary {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub link: InviteLink,
    /// How many people opened it.
    pub opened: i64,
    /// The name of the Telegram account bound to a personal link.
    pub candidate_name: Option<String>,
}

/// A link with its counts: `SELECT` this, then a `WHERE` on `l`.
const SUMMARY: &str = "SELECT l.*,
        (SELECT COUNT(DISTINCT t.candidate_id) FROM funnel_touches t WHERE t.link_id = l.id) AS opened,
        (SELECT TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) FROM candidates c WHERE c.id = l.candidate_id)
            AS candidate_name
   FROM invite_links l";

/// Links, newest first, optionally of one vacancy and of one kind.
pub async fn list(pool: &SqlitePool, vacancy_id: Option<i64>, kind: Option<LinkKind>) -> Result<Vec<LinkSummary>> {
    let sql =
        format!("{SUMMARY} WHERE (?1 IS NULL OR l.vacancy_id = ?1) AND (?2 IS NULL OR l.kind = ?2) ORDER BY l.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(vacancy_id).bind(kind).fetch_all(pool).await?)
}

/// One link with its counts.
pub async fn summary(pool: &SqlitePool, id: i64) -> Result<LinkSummary> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE l.id = ?")))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("invite_link", id))
}

/// What opening a link gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The link works: its vacancy (if any) is now the candidate's choice. A personal link's
    /// label is the person's name, to greet them and prefill.
    Welcome { link: InviteLink, vacancy: Option<Box<Vacancy>> },
    /// The link no longer works (expired, used, revoked, another person's, or its vacancy
    /// archived): a polite word and the vacancy choice.
    NoLonger { link: InviteLink },
    /// No link has this code.
    Unknown,
}

/// A candidate opened `/start <code>`. One write transaction: a personal link is bound to the
/// first account only (the conditional update makes a race between two accounts bind exactly
/// one), the touch and the first/last link are recorded, and the link's vacancy becomes the
/// candidate's current choice.
pub async fn open(pool: &SqlitePool, code: &str, candidate_id: i64, now: DateTime<Utc>) -> Result<Opened> {
    let mut tx = begin_write(pool).await?;
    let Some(mut link) = sqlx::query_as::<_, InviteLink>("SELECT * FROM invite_links WHERE code = ?")
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(Opened::Unknown);
    };
    let mine = link.candidate_id.is_none_or(|c| c == candidate_id);
    let vacancy = match link.vacancy_id {
        Some(id) => Some(Box::new(vacancies::load(&mut tx, id).await?)),
        None => None,
    };
    let closed = vacancy.as_ref().is_some_and(|v| v.status != VacancyStatus::Active);
    if !mine || closed || link.state(now) != LinkState::Active {
        tx.commit().await?;
        return Ok(Opened::NoLonger { link });
    }
    if link.kind == LinkKind::Personal && link.candidate_id.is_none() {
        let bound =
            sqlx::query("UPDATE invite_links SET candidate_id = ?, bound_at = ? WHERE id = ? AND candidate_id IS NULL")
                .bind(candidate_id)
                .bind(unix(now))
                .bind(link.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if bound == 0 {
            tx.commit().await?;
            return Ok(Opened::NoLonger { link });
        }
        link.candidate_id = Some(candidate_id);
        link.bound_at = Some(now);
    }
    touch_in(&mut tx, candidate_id, link.vacancy_id, Some(link.id), now).await?;
    sqlx::query(
        "UPDATE candidates SET first_link_id = COALESCE(first_link_id, ?1), last_link_id = ?1,
                               vacancy_id = COALESCE(?2, vacancy_id)
          WHERE id = ?3",
    )
    .bind(link.id)
    .bind(link.vacancy_id)
    .bind(candidate_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Opened::Welcome { link, vacancy })
}

async fn touch_in(
    conn: &mut SqliteConnection,
    candidate_id: i64,
    vacancy_id: Option<i64>,
    link_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO funnel_touches (candidate_id, vacancy_id, link_id, at) VALUES (?, ?, ?, ?)")
        .bind(candidate_id)
        .bind(vacancy_id)
        .bind(link_id)
        .bind(unix(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// The candidate chose a vacancy in the bot (or the only one was taken for them): it becomes
/// their current choice, and the funnel notes them entering it.
pub async fn choose_vacancy(pool: &SqlitePool, candidate_id: i64, vacancy_id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE candidates SET vacancy_id = ? WHERE id = ?")
        .bind(vacancy_id)
        .bind(candidate_id)
        .execute(&mut *tx)
        .await?;
    // Someone who came through a link of this vacancy is counted under that link, not again as
    // having come in the bot.
    sqlx::query(
        "INSERT OR IGNORE INTO funnel_touches (candidate_id, vacancy_id, link_id, at)
         SELECT ?1, ?2, NULL, ?3
          WHERE NOT EXISTS (SELECT 1 FROM funnel_touches WHERE candidate_id = ?1 AND vacancy_id = ?2)",
    )
    .bind(candidate_id)
    .bind(vacancy_id)
    .bind(unix(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The vacancy the candidate is booking for now, if any.
pub async fn current_vacancy(pool: &SqlitePool, candidate_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT vacancy_id FROM candidates WHERE id = ?")
        .bind(candidate_id)
        .fetch_optional(pool)
        .await?
        .flatten())
}

/// The labels of the candidate's first and last invitation links.
pub async fn sources_of(pool: &SqlitePool, candidate_id: i64) -> Result<(Option<String>, Option<String>)> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT (SELECT label FROM invite_links WHERE id = c.first_link_id),
                (SELECT label FROM invite_links WHERE id = c.last_link_id)
           FROM candidates c WHERE c.id = ?",
    )
    .bind(candidate_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.unwrap_or_default())
}

/// The personal link bound to the candidate (for their name), if any.
pub async fn personal_of(pool: &SqlitePool, candidate_id: i64) -> Result<Option<InviteLink>> {
    Ok(sqlx::query_as(
        "SELECT * FROM invite_links WHERE kind = 'personal' AND candidate_id = ? ORDER BY bound_at DESC LIMIT 1",
    )
    .bind(candidate_id)
    .fetch_optional(pool)
    .await?)
}

/// Inside the booking transaction: a personal link that ends on booking is used up.
pub(crate) async fn use_on_booking(
    conn: &mut SqliteConnection,
    candidate_id: i64,
    vacancy_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE invite_links SET used_at = ?
          WHERE kind = 'personal' AND candidate_id = ? AND ends_on_booking = 1 AND used_at IS NULL
            AND (vacancy_id IS NULL OR vacancy_id IS ?)",
    )
    .bind(unix(now))
    .bind(candidate_id)
    .bind(vacancy_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_url_safe() {
        let a = new_code();
        let b = new_code();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32, "128 bits as hex");
        assert!(looks_like_code(&a));
        assert!(a.len() <= 64);
        assert!(!looks_like_code("campaign_7"));
    }

    #[test]
    fn csv_cells_with_quotes_and_semicolons() {
        let rows = parse_csv("имя;телефон\n\"Иванов; Иван\";+7 912 345 67 89\r\nПётр;\n").unwrap_or_default();
        assert_eq!(
            rows,
            vec![
                vec!["имя".to_owned(), "телефон".to_owned()],
                vec!["Иванов; Иван".to_owned(), "+7 912 345 67 89".to_owned()],
                vec!["Пётр".to_owned(), String::new()],
            ]
        );
        assert!(parse_csv("name\n\"open").is_err());
    }
}
