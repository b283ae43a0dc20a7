//! Contact and help: where to write to a person, and what the bot can do.

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, Incoming};
use crate::callback::Callback;
use crate::keyboards;
use crate::texts::fill;

/// `/help`, the help and contact menu buttons.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(
            dptree::filter(|m: Incoming| m.is_command("help") || m.is_button(|t| t.menu_help))
                .endpoint(|ctx: Ctx| async move { ctx.send_with_menu(ctx.t.help).await }),
        )
        .branch(dptree::filter(|m: Incoming| m.is_button(|t| t.menu_contact)).endpoint(show_contact))
}

/// The help and contact inline buttons.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(
            dptree::filter(|cb: Callback| cb == Callback::Help)
                .endpoint(|ctx: Ctx| async move { ctx.send_with_menu(ctx.t.help).await }),
        )
        .branch(dptree::filter(|cb: Callback| cb == Callback::Contact).endpoint(show_contact))
}

async fn show_contact(ctx: Ctx) -> HandlerResult {
    let name = ctx.contact_name();
    ctx.send(fill(ctx.t.contact, &[name]), keyboards::contact(ctx.t, name).into()).await
}
