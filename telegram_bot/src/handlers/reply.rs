//! Sending and replacing messages: HTML, no link previews.

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode, ReplyMarkup};

use super::HandlerResult;

/// Sends an HTML message with a keyboard.
pub async fn send(bot: &Bot, chat: ChatId, text: String, markup: ReplyMarkup) -> HandlerResult {
    bot.send_message(chat, text)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview())
        .reply_markup(markup)
        .await?;
    Ok(())
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Replaces the message a button was on (a step of the same flow), or sends a new one.
pub(super) async fn edit_or_send(
    bot: &Bot,
    chat: ChatId,
    message_id: Option<MessageId>,
    text: String,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    if let Some(id) = message_id {
        let mut edit = bot.edit_message_text(chat, id, text.clone()).parse_mode(ParseMode::Html);
        edit = edit.link_preview_options(no_preview());
        if let Some(m) = markup.clone() {
            edit = edit.reply_markup(m);
        }
        match edit.await {
            Ok(_) => return Ok(()),
            Err(err) if err.to_string().contains("message is not modified") => return Ok(()),
            Err(err) => tracing::debug!(%err, "edit failed; sending a new message instead"),
        }
    }
    let mut send = bot.send_message(chat, text).parse_mode(ParseMode::Html).link_preview_options(no_preview());
    if let Some(m) = markup {
        send = send.reply_markup(m);
    }
    send.await?;
    Ok(())
}
