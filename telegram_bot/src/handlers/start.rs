//! Start and menu: `/start` (with an invitation payload), the menu button, and the answers to
//! anything the bot does not understand.

use chrono::Utc;
use core_logic::invites::{self, LinkKind, Opened};
use core_logic::models::VacancyStatus;
use core_logic::{telegram_link, vacancies};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, Incoming, vacancy};
use crate::callback::Callback;
use crate::keyboards;
use crate::texts::{escape, fill};

/// `/start`: the greeting and the main menu. The caller was registered (with the payload) on
/// the way in, so this writes nothing more.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|m: Incoming| m.is_command("start")).endpoint(|ctx: Ctx, m: Incoming| async move {
        if let Some(code) = m.start_payload().filter(|p| telegram_link::is_link_code(p)) {
            return link_admin(ctx, &code).await;
        }
        if let Some(code) = m.start_payload().filter(|p| invites::looks_like_code(p)) {
            return invited(ctx, &code).await;
        }
        let hello = fill(ctx.t.welcome, &[&escape(&ctx.candidate.first_name)]);
        ctx.send(hello, keyboards::main_menu(ctx.t).into()).await
    })
}

/// `/start <code>` of an invitation link: a greeting by name, then the link's vacancy (its
/// questionnaire and days, the choice skipped) or the usual start of booking; a link that no
/// longer works is said so politely, and the vacancy choice follows.
async fn invited(ctx: Ctx, code: &str) -> HandlerResult {
    let t = ctx.t;
    let name = escape(&ctx.candidate.first_name);
    match invites::open(ctx.pool(), code, ctx.candidate.id, Utc::now()).await? {
        Opened::Welcome { link, vacancy } => {
            let greeting = match (&vacancy, link.kind) {
                (Some(v), LinkKind::Personal) => fill(t.invited_personal, &[&escape(&link.label), &escape(&v.title)]),
                (Some(v), LinkKind::Source) => fill(t.invited_to, &[&name, &escape(&v.title)]),
                (None, LinkKind::Personal) => fill(t.invited, &[&escape(&link.label)]),
                (None, LinkKind::Source) => fill(t.invited, &[&name]),
            };
            ctx.send(greeting, keyboards::main_menu(t).into()).await?;
            match vacancy {
                Some(v) => vacancy::enter(&ctx, &v).await,
                None => vacancy::start_booking(&ctx).await,
            }
        }
        Opened::NoLonger { link } => {
            let vacancy = match link.vacancy_id {
                Some(id) => vacancies::get(ctx.pool(), id).await.ok(),
                None => None,
            };
            let closed = vacancy.is_some_and(|v| v.status != VacancyStatus::Active);
            let text = if closed { t.vacancy_closed } else { t.link_no_longer };
            ctx.send(text.to_owned(), keyboards::main_menu(t).into()).await?;
            vacancy::start_booking(&ctx).await
        }
        Opened::Unknown => {
            ctx.send(t.link_unknown.to_owned(), keyboards::main_menu(t).into()).await?;
            vacancy::start_booking(&ctx).await
        }
    }
}

/// `/start adm_<code>`: an admin links this Telegram account to their panel login, so their test
/// sends come here.
async fn link_admin(ctx: Ctx, code: &str) -> HandlerResult {
    let text = match telegram_link::redeem(&ctx.state.pool, code, ctx.candidate.id, Utc::now()).await? {
        Some(linked) => fill(ctx.t.admin_linked, &[&escape(&linked.admin_username)]),
        None => ctx.t.admin_link_invalid.to_owned(),
    };
    ctx.send_with_menu(&text).await
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
