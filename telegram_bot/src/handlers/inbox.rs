//! The inbox: free text (not a command, not a menu button), photos and documents a candidate
//! sends are stored as conversation messages for the recruiters, who reply from the panel. The
//! bot answers that the message was passed on and tells `ADMIN_CHAT_ID` (when set) who wrote
//! and how it begins. Stickers, voice and the rest fall through to "not understood".

use chrono::Utc;
use core_logic::inbox::{self, Attachment};
use core_logic::models::AttachmentKind;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ChatId, ParseMode};

use super::{Ctx, HandlerResult, Incoming};
use crate::texts::{Lang, Texts, escape, fill};

/// How much of a message the note to `ADMIN_CHAT_ID` quotes, in characters.
const NOTE_CHARS: usize = 200;

/// Messages the inbox keeps.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter_map(|msg: Message, incoming: Incoming| content(&msg, &incoming)).endpoint(store)
}

/// What of a message the inbox keeps: a photo (its largest size) or a document with its
/// caption, or a text that is neither a command nor a menu button; `None` for anything else.
fn content(msg: &Message, incoming: &Incoming) -> Option<inbox::Incoming> {
    let caption = msg.caption().map(str::to_owned);
    if let Some(sizes) = msg.photo() {
        let largest = sizes.iter().max_by_key(|p| (u64::from(p.width) * u64::from(p.height), p.file.size))?;
        let attachment =
            Attachment { kind: AttachmentKind::Photo, file_id: largest.file.id.0.clone(), file_name: None };
        return Some(inbox::Incoming { text: caption, attachment: Some(attachment) });
    }
    if let Some(doc) = msg.document() {
        let attachment = Attachment {
            kind: AttachmentKind::Document,
            file_id: doc.file.id.0.clone(),
            file_name: doc.file_name.clone(),
        };
        return Some(inbox::Incoming { text: caption, attachment: Some(attachment) });
    }
    let text = incoming.text();
    if msg.text().is_none() || text.is_empty() || incoming.is_any_command() || is_menu_button(incoming) {
        return None;
    }
    Some(inbox::Incoming { text: Some(text.to_owned()), attachment: None })
}

/// A menu button's label (their flows answer them first; this keeps a label out of the inbox
/// should one ever reach it).
fn is_menu_button(incoming: &Incoming) -> bool {
    let labels: [fn(&Texts) -> &'static str; 4] = [|t| t.menu_book, |t| t.menu_my, |t| t.menu_contact, |t| t.menu_help];
    labels.into_iter().any(|label| incoming.is_button(label))
}

async fn store(ctx: Ctx, message: inbox::Incoming) -> HandlerResult {
    inbox::record_incoming(ctx.pool(), ctx.candidate.id, &message, Utc::now()).await?;
    ctx.send_with_menu(ctx.t.inbox_received).await?;
    notify_admins(&ctx, &message).await;
    Ok(())
}

/// Tells `ADMIN_CHAT_ID` (when set) who wrote and how the message begins, in Russian like the
/// other notes there. Never fails the candidate's message.
async fn notify_admins(ctx: &Ctx, message: &inbox::Incoming) {
    let Some(admin_chat) = ctx.state.config.admin_chat_id else { return };
    let text = fill(Lang::Ru.t().admin_new_message, &[&escape(&who(ctx)), &escape(&beginning(message, Lang::Ru.t()))]);
    if let Err(err) = ctx.bot.send_message(ChatId(admin_chat), text).parse_mode(ParseMode::Html).await {
        tracing::warn!(%err, "could not notify ADMIN_CHAT_ID");
    }
}

/// "Анна Петрова (@anna_k)".
fn who(ctx: &Ctx) -> String {
    let c = &ctx.candidate;
    let name = match c.last_name.as_deref().filter(|l| !l.is_empty()) {
        Some(last) => format!("{} {last}", c.first_name),
        None => c.first_name.clone(),
    };
    match &c.username {
        Some(u) => format!("{name} (@{u})"),
        None => name,
    }
}

/// The message's first characters, or what it carries when it has no text.
fn beginning(message: &inbox::Incoming, t: &Texts) -> String {
    let label = message.attachment.as_ref().map(|a| match a.kind {
        AttachmentKind::Photo => t.photo.to_owned(),
        AttachmentKind::Document => fill(t.document, &[a.file_name.as_deref().unwrap_or("")]).trim().to_owned(),
    });
    let text = message.text.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        let mut cut: String = s.chars().take(NOTE_CHARS).collect();
        if s.chars().count() > NOTE_CHARS {
            cut.push('…');
        }
        cut
    });
    match (label, text) {
        (Some(label), Some(text)) => format!("{label} {text}"),
        (Some(label), None) => label,
        (None, text) => text.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::RU;

    #[test]
    fn the_note_quotes_the_beginning_or_names_the_attachment() {
        let text = |s: &str| inbox::Incoming { text: Some(s.to_owned()), attachment: None };
        assert_eq!(beginning(&text("можно в четверг?"), &RU), "можно в четверг?");
        let long = "а".repeat(NOTE_CHARS + 10);
        assert_eq!(beginning(&text(&long), &RU), format!("{}…", "а".repeat(NOTE_CHARS)));
        let photo = inbox::Incoming {
            text: None,
            attachment: Some(Attachment { kind: AttachmentKind::Photo, file_id: "f".into(), file_name: None }),
        };
        assert_eq!(beginning(&photo, &RU), "📷 Фото");
        let doc = inbox::Incoming {
            text: Some("резюме".into()),
            attachment: Some(Attachment {
                kind: AttachmentKind::Document,
                file_id: "d".into(),
                file_name: Some("cv.pdf".into()),
            }),
        };
        assert_eq!(beginning(&doc, &RU), "📎 cv.pdf резюме");
    }
}
