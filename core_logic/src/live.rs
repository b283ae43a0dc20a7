//! What the panel's live view watches: a small snapshot of the things another process changes
//! (bookings made and cancelled in the bot, candidates registering, broadcasts being sent,
//! candidates writing to the inbox and replies reaching them),
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
    /// The newest broadcast's id: a broadcast created and finished between two looks never
    /// shows among the unfinished ones, yet its page must hear that it moved on.
    pub newest_broadcast: i64,
    /// The inbox: the newest conversation message, the unread count, and the replies on their way.
    pub inbox: InboxState,
}

/// What the inbox list and the open conversations show that can change under them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxState {
    /// The newest conversation message's id: a candidate wrote, or a recruiter replied.
    pub newest_message: i64,
    /// Incoming messages not read yet (a recruiter opened a conversation in another panel).
    pub unread: i64,
    /// Replies whose delivery is not final yet, by message id, with the delivery's status: a
    /// reply's status shown in the panel changes when this does.
    pub replies_on_the_way: Vec<(i64, String)>,
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

/// Reads the snapshot (four indexed reads on the shared pool; no write).
pub async fn snapshot(pool: &SqlitePool) -> Result<Snapshot> {
    let (calendar, newest_candidate, newest_broadcast, newest_message, unread): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT version FROM calendar_version WHERE id = 1),
                (SELECT COALESCE(MAX(id), 0) FROM candidates),
                (SELECT COALESCE(MAX(id), 0) FROM broadcasts),
                (SELECT COALESCE(MAX(id), 0) FROM conversation_messages),
                (SELECT COUNT(*) FROM conversation_messages WHERE direction = 'in' AND read_at IS NULL)",
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
    // Through the partial index of replies: only the recruiters' replies are read, never the
    // broadcasts' deliveries.
    let replies_on_the_way: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.id, d.status
           FROM conversation_messages m
           JOIN deliveries d ON d.id = m.delivery_id
          WHERE m.delivery_id IS NOT NULL AND d.status NOT IN ('sent', 'failed', 'blocked', 'cancelled')
          ORDER BY m.id",
    )
    .fetch_all(pool)
    .await?;
    let inbox = InboxState { newest_message, unread, replies_on_the_way };
    Ok(Snapshot { calendar, newest_candidate, broadcasts, newest_broadcast, inbox })
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
    /// The inbox changed: a message written or replied, a conversation read, a reply's delivery
    /// status moved on.
    Inbox,
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
    // Created since the last look (at most the 50 newest): told even when already finished.
    let created = (before.newest_broadcast + 1).max(after.newest_broadcast - 49)..=after.newest_broadcast;
    for id in created {
        if !out.contains(&Change::Broadcast { id }) {
            out.push(Change::Broadcast { id });
        }
    }
    if before.inbox != after.inbox {
        out.push(Change::Inbox);
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
        let s = Snapshot {
            calendar: 3,
            newest_candidate: 9,
            broadcasts: vec![progress(1, "sending", 5)],
            newest_broadcast: 1,
            inbox: InboxState { newest_message: 4, unread: 2, replies_on_the_way: vec![(4, "published".into())] },
        };
        assert_eq!(changes(&s, &s.clone()), vec![]);
    }

    #[test]
    fn each_kind_of_change_is_told_once() {
        let before = Snapshot {
            calendar: 3,
            newest_candidate: 9,
            broadcasts: vec![progress(1, "sending", 5), progress(2, "sending", 0), progress(4, "scheduled", 0)],
            newest_broadcast: 4,
            inbox: InboxState::default(),
        };
        let after = Snapshot {
            calendar: 5,
            newest_candidate: 10,
            broadcasts: vec![progress(2, "sending", 7), progress(3, "fanning_out", 0), progress(4, "scheduled", 0)],
            newest_broadcast: 4,
            inbox: InboxState { newest_message: 1, unread: 1, replies_on_the_way: Vec::new() },
        };
        assert_eq!(
            changes(&before, &after),
            vec![
                Change::Calendar,
                Change::Candidates,
                Change::Broadcast { id: 2 },
                Change::Broadcast { id: 3 },
                Change::Broadcast { id: 1 },
                Change::Inbox,
            ]
        );
    }

    #[test]
    fn a_reply_moving_on_or_a_conversation_read_is_an_inbox_change() {
        let on_the_way = |status: &str| Snapshot {
            inbox: InboxState { newest_message: 7, unread: 1, replies_on_the_way: vec![(7, status.to_owned())] },
            ..Snapshot::default()
        };
        assert_eq!(changes(&on_the_way("pending"), &on_the_way("published")), vec![Change::Inbox]);
        let delivered =
            Snapshot { inbox: InboxState { newest_message: 7, unread: 1, ..Default::default() }, ..Default::default() };
        assert_eq!(changes(&on_the_way("sending"), &delivered), vec![Change::Inbox]);
        let read =
            Snapshot { inbox: InboxState { newest_message: 7, unread: 0, ..Default::default() }, ..Default::default() };
        assert_eq!(changes(&delivered, &read), vec![Change::Inbox]);
    }

    #[test]
    fn a_broadcast_created_and_finished_between_two_looks_is_told() {
        // It never showed among the unfinished ones: the e2e saw its page stay at 0%.
        let before = Snapshot { newest_broadcast: 4, ..Default::default() };
        let after = Snapshot { newest_broadcast: 5, ..Default::default() };
        assert_eq!(changes(&before, &after), vec![Change::Broadcast { id: 5 }]);
        // Seen unfinished in the same look: told once.
        let running =
            Snapshot { newest_broadcast: 5, broadcasts: vec![progress(5, "sending", 0)], ..Default::default() };
        assert_eq!(changes(&before, &running), vec![Change::Broadcast { id: 5 }]);
        // A burst is bounded.
        let burst = Snapshot { newest_broadcast: 1000, ..Default::default() };
        assert_eq!(changes(&before, &burst).len(), 50);
    }
}
