//! The audit log: every admin action, written in the same transaction as the action.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::time::unix;

/// One audit entry.
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

/// The newest entries first, optionally of one entity type (and id), and the total.
pub async fn list(
    pool: &SqlitePool,
    entity: Option<(&str, Option<i64>)>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
    let (entity_type, entity_id) = entity.map_or((None, None), |(t, id)| (Some(t), id));
    const FILTER: &str = "(?1 IS NULL OR l.entity_type = ?1) AND (?2 IS NULL OR l.entity_id = ?2)";
    let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_log l WHERE {FILTER}")))
        .bind(entity_type)
        .bind(entity_id)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT l.*, a.username AS admin_username FROM audit_log l LEFT JOIN admins a ON a.id = l.admin_id
         WHERE {FILTER} ORDER BY l.at DESC, l.id DESC LIMIT ?3 OFFSET ?4"
    )))
    .bind(entity_type)
    .bind(entity_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
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
