//! The candidate-facing dialogue. `schema()` routes messages and button presses to one module
//! per flow; each flow contributes its own branch for messages (commands and menu buttons) and
//! one for inline buttons, and its handlers take one [`Ctx`]: who is asking, in which language,
//! in which chat, and which message the pressed button was on. Every message gets an answer;
//! every button is checked against the database and the caller.
//!
//! A new flow (the questionnaire, waitlist offers, the inbox, team notifications) is a new module
//! beside these with its own `messages()` and `buttons()` branches, added to `schema()` below;
//! the other flows do not change. The bot keeps no conversation state in memory: every step
//! lives in the buttons (`callback.rs`) and the database.

mod booking;
mod contact;
mod context;
mod inbox;
mod my_booking;
mod reply;
mod start;
mod team;
mod vacancy;
mod waitlist;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use crate::callback::Callback;

pub use context::{BotState, Ctx, Incoming};
pub use reply::send;

type HandlerResult = anyhow::Result<()>;

/// The update routing: messages and button presses, one branch per flow; everything else is
/// ignored.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    let messages = Update::filter_message()
        .filter_map(Incoming::parse)
        .filter_map_async(Ctx::for_message)
        .branch(start::messages())
        .branch(booking::messages())
        .branch(my_booking::messages())
        .branch(contact::messages())
        // An interviewer's note after an interview.
        .branch(team::messages())
        // Typed answers to a questionnaire waiting for one.
        .branch(vacancy::messages())
        // Free text, photos and documents: stored for the recruiters.
        .branch(inbox::messages())
        // Unknown commands, stickers, voice and the rest: say what works.
        .endpoint(start::not_understood);
    let buttons = Update::filter_callback_query()
        .filter_map_async(Ctx::for_button)
        .branch(
            dptree::filter_map(|q: CallbackQuery| q.data.as_deref().and_then(Callback::parse))
                .branch(start::buttons())
                .branch(booking::buttons())
                .branch(my_booking::buttons())
                .branch(contact::buttons())
                .branch(vacancy::buttons())
                .branch(waitlist::buttons())
                .branch(team::buttons()),
        )
        // Forged, or from an older version of the bot.
        .endpoint(start::stale_button);
    dptree::entry().branch(messages).branch(buttons)
}
