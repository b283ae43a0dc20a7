//! Start and menu: `/start` (with an invitation payload), the menu button, and the answers to
//! anything the bot does not understand.

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, Incoming};
use crate::callback::Callback;
use crate::keyboards;
use crate::texts::{escape, fill};

/// `/start`: the greeting and the main menu. The caller was registered (with the payload) on
/// the way in, so this writes nothing more.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|m: Incoming| m.is_command("start")).endpoint(|ctx: Ctx| async move {
        let hello = fill(ctx.t.welcome, &[&escape(&ctx.candidate.first_name)]);
        ctx.send(hello, keyboards::main_menu(ctx.t).into()).await
    })
}

/// The menu button under a message.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| cb == Callback::Menu)
        .endpoint(|ctx: Ctx| async move { ctx.send_with_menu(ctx.t.help).await })
}

/// Unknown commands, stickers, voice and anything else the inbox does not keep: say what works.
pub(super) async fn not_understood(ctx: Ctx) -> HandlerResult {
    ctx.send_with_menu(ctx.t.not_understood).await
}

/// A button whose data does not parse: forged, or from an older version of the bot.
pub(super) async fn stale_button(ctx: Ctx) -> HandlerResult {
    ctx.stale().await
}
