//! The queue's message format: versioned JSON naming one delivery row, which holds everything
//! else, so a consumer needs nothing more to be idempotent.

use serde::{Deserialize, Serialize};

/// The message version this build writes and reads.
pub const MESSAGE_VERSION: u32 = 1;

/// One message on the queue: "send delivery `delivery_id`".
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    /// The format version, [`MESSAGE_VERSION`].
    pub v: u32,
    /// The `deliveries` row to send.
    pub delivery_id: i64,
}

/// Why a queue body is not a message this build can handle; the consumer dead-letters it.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("not a valid queue message: {0}")]
    Invalid(#[from] serde_json::Error),
    #[error("unsupported queue message version {0} (this build reads version {MESSAGE_VERSION})")]
    UnsupportedVersion(u32),
}

/// Only the version, read first so that a message of another version is reported as such
/// rather than as a missing field of this version.
#[derive(Deserialize)]
struct Version {
    v: u32,
}

impl QueueMessage {
    /// A current-version message for `delivery_id`.
    pub fn new(delivery_id: i64) -> Self {
        Self { v: MESSAGE_VERSION, delivery_id }
    }

    /// The JSON body, e.g. `{"v":1,"delivery_id":42}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Two integers always serialise; an error here would be a bug in serde_json.
        serde_json::to_vec(self).expect("a QueueMessage always serialises")
    }

    /// Parses a body, rejecting invalid JSON, a missing field and an unknown version.
    pub fn parse(body: &[u8]) -> Result<QueueMessage, MessageError> {
        let Version { v } = serde_json::from_slice(body)?;
        if v != MESSAGE_VERSION {
            return Err(MessageError::UnsupportedVersion(v));
        }
        Ok(serde_json::from_slice(body)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_round_trips_through_its_bytes() {
        let msg = QueueMessage::new(42);

        let parsed = QueueMessage::parse(&msg.to_bytes());

        assert_eq!(parsed.ok(), Some(msg));
    }

    #[test]
    fn a_new_message_has_the_current_version() {
        let msg = QueueMessage::new(7);

        assert_eq!(msg.v, MESSAGE_VERSION);
        assert_eq!(msg.to_bytes(), br#"{"v":1,"delivery_id":7}"#);
    }

    #[test]
    fn invalid_json_is_rejected() {
        let result = QueueMessage::parse(b"{not json");

        assert!(matches!(result, Err(MessageError::Invalid(_))));
    }

    #[test]
    fn a_missing_delivery_id_is_rejected() {
        let result = QueueMessage::parse(br#"{"v":1}"#);

        assert!(matches!(result, Err(MessageError::Invalid(_))));
    }

    #[test]
    fn a_missing_version_is_rejected() {
        let result = QueueMessage::parse(br#"{"delivery_id":1}"#);

        assert!(matches!(result, Err(MessageError::Invalid(_))));
    }

    #[test]
    fn an_unknown_version_is_rejected_as_such() {
        let result = QueueMessage::parse(br#"{"v":2,"delivery_id":1}"#);

        assert!(matches!(result, Err(MessageError::UnsupportedVersion(2))));
    }

    #[test]
    fn a_delivery_id_of_the_wrong_type_is_rejected() {
        let result = QueueMessage::parse(br#"{"v":1,"delivery_id":"1"}"#);

        assert!(matches!(result, Err(MessageError::Invalid(_))));
    }
}
