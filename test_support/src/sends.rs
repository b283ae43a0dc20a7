//! What the fake Telegram accepted, held against who should have got the message: the chats
//! that got nothing, the chats that should have got nothing, and the duplicates.

use std::collections::{BTreeMap, BTreeSet};

use fake_telegram::FakeTelegram;

/// The messages a broadcast put in each chat, compared with the chats it should reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// Messages accepted per chat.
    pub per_chat: BTreeMap<i64, u64>,
    /// Chats that should have got the message and got nothing.
    pub missing: BTreeSet<i64>,
    /// Chats that got a message they should not have.
    pub strangers: BTreeSet<i64>,
    /// Messages beyond the first in each chat.
    pub duplicates: u64,
}

impl Reach {
    /// Reads the fake's sent log, which must hold only `sendMessage`s of `text` as HTML, and
    /// compares the chats with `expected`.
    pub fn of(fake: &FakeTelegram, text: &str, expected: &BTreeSet<i64>) -> Self {
        let mut per_chat: BTreeMap<i64, u64> = BTreeMap::new();
        for message in fake.sent() {
            assert_eq!(message.method, "sendMessage", "only broadcast messages were expected: {message:?}");
            assert_eq!(message.text.as_deref(), Some(text), "the broadcast text: {message:?}");
            assert_eq!(message.parse_mode.as_deref(), Some("HTML"), "sent as HTML: {message:?}");
            *per_chat.entry(message.chat_id).or_default() += 1;
        }
        let received: BTreeSet<i64> = per_chat.keys().copied().collect();
        Self {
            missing: expected.difference(&received).copied().collect(),
            strangers: received.difference(expected).copied().collect(),
            duplicates: per_chat.values().map(|n| n - 1).sum(),
            per_chat,
        }
    }

    /// The chats that got more than one message.
    pub fn chats_twice(&self) -> Vec<i64> {
        self.per_chat.iter().filter(|&(_, &n)| n > 1).map(|(&chat, _)| chat).collect()
    }

    /// Fails unless every expected chat got something and no other chat did (the first ten of
    /// each kind are named).
    pub fn assert_everyone_and_nobody_else(&self) {
        let first = |set: &BTreeSet<i64>| set.iter().take(10).copied().collect::<Vec<_>>();
        assert!(
            self.missing.is_empty(),
            "{} chats got nothing (first 10): {:?}",
            self.missing.len(),
            first(&self.missing)
        );
        assert!(
            self.strangers.is_empty(),
            "{} chats should have got nothing (first 10): {:?}",
            self.strangers.len(),
            first(&self.strangers)
        );
    }

    /// Fails unless every expected chat got exactly one message and no other chat any.
    pub fn assert_exactly_once(&self) {
        self.assert_everyone_and_nobody_else();
        let twice = self.chats_twice();
        assert!(
            twice.is_empty(),
            "{} chats got more than one message (first 10): {:?}",
            twice.len(),
            &twice[..twice.len().min(10)]
        );
    }
}
