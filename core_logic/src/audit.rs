//! The audit log: every admin action, written in the same transaction as the action.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::time::unix;

/// One audit entry, with who and what it was about, so the panel can say it as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub admin_id: Option<i64>,
    /// The admin's username (`None` for actions of the system, or a deleted admin).
    pub admin_username: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    #[sqlx(json)]
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The candidate it concerns (a candidate entry, or a booking's candidate): first and last name.
    pub candidate_name: Option<String>,
    /// That candidate's Telegram username, without `@`.
    pub candidate_username: Option<String>,
    /// The interview it concerns (a slot entry, or a booking's slot), while the slot exists.
    pub slot_starts_at: Option<DateTime<Utc>>,
}

/// Which entries to list; every field narrows the list, `None` does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditFilter<'a> {
    pub entity_type: Option<&'a str>,
    /// With `entity_type`: one entity.
    pub entity_id: Option<i64>,
    /// Actions of one admin.
    pub admin_id: Option<i64>,
    /// At or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// An admin as the audit filter offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditAdmin {
    pub id: i64,
    pub username: String,
}

/// The JSON of an audit payload. A value that cannot be serialized is an error (the action
/// fails with it), never a null in the log. `serde_json::json!` of plain values (numbers,
/// strings, ids) cannot fail; structs go through here.
pub fn details<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, sqlx::Error> {
    serde_json::to_value(value).map_err(|err| sqlx::Error::Encode(Box::new(err)))
}

/// Records an action. `admin_id` is `None` for actions of the system itself.
pub async fn record(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    admin_id: Option<i64>,
    action: &str,
    entity_type: &str,
    entity_id: Option<i64>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, admin_id, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(unix(now))
    .bind(admin_id)
    .bind(action)
    .bind(entity_type)
    .bind(entity_id)
    .bind(details.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest entries first, narrowed by `filter`, and how many match in all.
pub async fn list(
    pool: &SqlitePool,
    filter: &AuditFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
    const FILTER: &str = "(?1 IS NULL OR l.entity_type = ?1) AND (?2 IS NULL OR l.entity_id = ?2)
        AND (?3 IS NULL OR l.admin_id = ?3) AND (?4 IS NULL OR l.at >= ?4) AND (?5 IS NULL OR l.at < ?5)";
    let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_log l WHERE {FILTER}")))
        .bind(filter.entity_type)
        .bind(filter.entity_id)
        .bind(filter.admin_id)
        .bind(filter.from.map(unix))
        .bind(filter.to.map(unix))
        .fetch_one(pool)
        .await?;
    // A booking entry names its candidate and slot; a candidate or slot entry, itself; a
    // waitlist or approval entry, its candidate (and the slot offered).
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT l.*, a.username AS admin_username,
                TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) AS candidate_name,
                c.username AS candidate_username, s.starts_at AS slot_starts_at
         FROM audit_log l
         LEFT JOIN admins a ON a.id = l.admin_id
         LEFT JOIN bookings b ON l.entity_type = 'booking' AND b.id = l.entity_id
         LEFT JOIN waitlist w ON l.entity_type = 'waitlist' AND w.id = l.entity_id
         LEFT JOIN booking_approvals r ON l.entity_type = 'approval' AND r.id = l.entity_id
         LEFT JOIN candidates c
           ON c.id = CASE l.entity_type WHEN 'candidate' THEN l.entity_id WHEN 'booking' THEN b.candidate_id
                                        WHEN 'waitlist' THEN w.candidate_id WHEN 'approval' THEN r.candidate_id END
         LEFT JOIN slots s ON s.id = CASE l.entity_type WHEN 'slot' THEN l.entity_id WHEN 'booking' THEN b.slot_id
                                        WHEN 'waitlist' THEN json_extract(l.details, '$.slot_id') END
         WHERE {FILTER} ORDER BY l.at DESC, l.id DESC LIMIT ?6 OFFSET ?7"
    )))
    .bind(filter.entity_type)
    .bind(filter.entity_id)
    .bind(filter.admin_id)
    .bind(filter.from.map(unix))
    .bind(filter.to.map(unix))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// Every admin, by username (the audit log's admin filter).
pub async fn admins(pool: &SqlitePool) -> Result<Vec<AuditAdmin>, sqlx::Error> {
    sqlx::query_as("SELECT id, username FROM admins ORDER BY username").fetch_all(pool).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::details;

    #[test]
    fn a_payload_that_cannot_be_serialized_is_an_error_not_a_null() {
        // JSON object keys must be strings: a map keyed by pairs does not serialize.
        let bad: BTreeMap<(i32, i32), i32> = BTreeMap::from([((1, 2), 3)]);
        assert!(matches!(details(&bad), Err(sqlx::Error::Encode(_))));
        assert_eq!(details(&BTreeMap::from([("a", 1)])).expect("serializes"), serde_json::json!({ "a": 1 }));
    }
}
