//! What the panel's live view watches: a small snapshot of the things another process changes
//! (bookings made and cancelled in the bot, candidates registering, broadcasts being sent),
//! cheap enough to read several times a second. `api_server` compares consecutive snapshots and
//! pushes what changed to open panels (server-sent events).

use sqlx::SqlitePool;

use crate::error::Result;

/// One look at what the panel shows live.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The calendar's version: every change to slots or bookings bumps it (a trigger).
    pub calendar: i64,
    /// The newest candidate's id: a new one registered when it grows.
    pub newest_candidate: i64,
    /// Broadcasts not finished yet, by id.
    pub broadcasts: Vec<BroadcastProgress>,
}

/// How far an unfinished broadcast is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BroadcastProgress {
    pub id: i64,
    /// `scheduled`, `fanning_out` or `sending`.
    pub status: String,
    /// Deliveries that reached a final state (sent, failed, blocked, cancelled).
    pub done: i64,
}

/// Reads the snapshot (three indexed reads on the shared pool; no write).
pub async fn snapshot(pool: &SqlitePool) -> Result<Snapshot> {
    let (calendar, newest_candidate): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT version FROM calendar_version WHERE id = 1),
                (SELECT COALESCE(MAX(id), 0) FROM candidates)",
    )
    .fetch_one(pool)
    .await?;
    let broadcasts: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT b.id, b.status,
                (SELECT COUNT(*) FROM deliveries d
                  WHERE d.broadcast_id = b.id AND d.kind = 'broadcast'
                    AND d.status IN ('sent', 'failed', 'blocked', 'cancelled'))
           FROM broadcasts b
          WHERE b.status IN ('scheduled', 'fanning_out', 'sending')
          ORDER BY b.id",
    )
    .fetch_all(pool)
    .await?;
    let broadcasts = broadcasts.into_iter().map(|(id, status, done)| BroadcastProgress { id, status, done }).collect();
    Ok(Snapshot { calendar, newest_candidate, broadcasts })
}

/// What changed between two snapshots, as the panel hears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Slots or bookings changed (a booking made, moved, cancelled; a slot edited).
    Calendar,
    /// A new candidate registered.
    Candidates,
    /// A broadcast moved on (progress, or it finished and left the unfinished list).
    Broadcast { id: i64 },
}

/// The changes from `before` to `after`, each once.
pub fn changes(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    if before.calendar != after.calendar {
        out.push(Change::Calendar);
    }
    if before.newest_candidate != after.newest_candidate {
        out.push(Change::Candidates);
    }
    for b in &after.broadcasts {
        if !before.broadcasts.contains(b) {
            out.push(Change::Broadcast { id: b.id });
        }
    }
    for b in &before.broadcasts {
        if !after.broadcasts.iter().any(|a| a.id == b.id) {
            out.push(Change::Broadcast { id: b.id });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(id: i64, status: &str, done: i64) -> BroadcastProgress {
        BroadcastProgress { id, status: status.to_owned(), done }
    }

    #[test]
    fn nothing_changed_means_no_change() {
        let s = Snapshot { calendar: 3, newest_candidate: 9, broadcasts: vec![progress(1, "sending", 5)] };
        assert_eq!(changes(&s, &s.clone()), vec![]);
    }

    #[test]
    fn each_kind_of_change_is_told_once() {
        let before = Snapshot {
            calendar: 3,
            newest_candidate: 9,
            broadcasts: vec![progress(1, "sending", 5), progress(2, "sending", 0), progress(4, "scheduled", 0)],
        };
        let after = Snapshot {
            calendar: 5,
            newest_candidate: 10,
            broadcasts: vec![progress(2, "sending", 7), progress(3, "fanning_out", 0), progress(4, "scheduled", 0)],
        };
        assert_eq!(
            changes(&before, &after),
            vec![
                Change::Calendar,
                Change::Candidates,
                Change::Broadcast { id: 2 },
                Change::Broadcast { id: 3 },
                Change::Broadcast { id: 1 },
            ]
        );
    }
}
