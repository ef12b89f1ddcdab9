"""The Telegram backend on python-telegram-bot (``TELEGRAM_LIBRARY=ptb``, the default).

Only plumbing: an ``Application`` receives updates (long polling through its ``Updater``, or
webhook updates put on its update queue) and hands each one, as Bot API JSON, to the shared
handler in :mod:`bot.channels.telegram`; the sending methods turn neutral
:class:`~bot.channels.telegram_format.Outgoing` messages into Bot API calls.

``concurrent_updates`` lets different chats proceed in parallel (a slow core for one kader
does not hold up the others); the shared handler keeps each chat's updates in order.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter
from telegram.error import TelegramError as PtbError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram import UpdateHandler
from bot.channels.telegram_format import POLL_TIMEOUT_SECONDS, Keyboard, Outgoing
from handlers.delivery import DeliveryError
from handlers.retry import retry_after_seconds

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Result = TypeVar("Result")


class PtbBackend:
    """Receives and sends through a python-telegram-bot ``Application``."""

    def __init__(self, token: str, api_base_url: str | None, handler: UpdateHandler) -> None:
        builder = ApplicationBuilder().token(token).concurrent_updates(True)
        if api_base_url:
            base = api_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        self._app: Application = builder.build()
        self._app.add_handler(TypeHandler(Update, self._dispatch))
        self._app.add_error_handler(self._on_error)
        self._handler = handler

    @property
    def _bot(self) -> Bot:
        return self._app.bot

    async def _dispatch(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._handler(update.to_dict())

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An update the library failed to process: one line instead of its traceback.

        The shared handler logs its own failures. What reaches this is the library's own
        bookkeeping tripping over an update of the wrong types: it does not check the types
        of a webhook update, and anyone holding the secret can send one.
        """
        update_id = update.update_id if isinstance(update, Update) else None
        log.warning("telegram: update %s: %s", update_id, type(context.error).__name__)

    async def start_polling(self, allowed_updates: Sequence[str]) -> None:
        """Start the application, then poll (the Updater deletes any webhook first)."""
        await self._app.initialize()
        await self._app.start()
        assert self._app.updater is not None
        await self._app.updater.start_polling(
            timeout=POLL_TIMEOUT_SECONDS, allowed_updates=list(allowed_updates)
        )

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        """Start the application first, so updates arriving right after ``setWebhook`` run."""
        await self._app.initialize()
        await self._app.start()
        await _call(
            self._bot.set_webhook(url, secret_token=secret, allowed_updates=list(allowed_updates))
        )

    async def feed(self, update: dict[str, Any]) -> None:
        """Queue a webhook update; the application's own loop handles it."""
        await self._app.update_queue.put(Update.de_json(update, self._bot))

    async def stop_receiving(self) -> None:
        """Stop polling and finish the updates already queued (``Application.stop`` drains)."""
        if self._app.updater is not None and self._app.updater.running:
            await self._app.updater.stop()
        if self._app.running:
            await self._app.stop()

    async def close(self) -> None:
        await self._app.shutdown()

    async def set_commands(self, commands: Sequence[tuple[str, str]]) -> None:
        await _call(self._bot.set_my_commands([BotCommand(name, text) for name, text in commands]))

    async def send(self, chat_id: int, message: Outgoing) -> None:
        markup = _markup(message.keyboard)
        attachment = message.attachment
        if attachment is None:
            entities = [MessageEntity.de_json(e, self._bot) for e in message.entities()]
            send = self._bot.send_message(
                chat_id, message.text, reply_markup=markup, entities=entities or None
            )
            await _call(send)
        elif attachment.kind == "photo":
            await _call(
                self._bot.send_photo(
                    chat_id,
                    attachment.content,
                    caption=message.text or None,
                    filename=attachment.filename,
                    reply_markup=markup,
                )
            )
        else:
            await _call(
                self._bot.send_document(
                    chat_id,
                    attachment.content,
                    caption=message.text or None,
                    filename=attachment.filename,
                    reply_markup=markup,
                )
            )

    async def answer_press(self, callback_query_id: str) -> None:
        await _call(self._bot.answer_callback_query(callback_query_id))

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        await _call(self._bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None))


def _markup(keyboard: Keyboard | None) -> Markup | None:
    if keyboard is None:
        return None
    if keyboard.remove:
        return ReplyKeyboardRemove()
    if keyboard.contact_label is not None:
        button = KeyboardButton(keyboard.contact_label, request_contact=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if keyboard.location_label is not None:
        button = KeyboardButton(keyboard.location_label, request_location=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, web_app=WebAppInfo(b.web_app))
                if b.web_app
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in keyboard.inline
        ]
    )


async def _call(request: Awaitable[Result]) -> Result:
    """Await a Bot API call, turning the library's errors into :class:`DeliveryError`."""
    try:
        return await request
    except RetryAfter as error:
        with warnings.catch_warnings():
            # PTB 22 warns that ``retry_after`` will become a timedelta; both are handled.
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = error.retry_after
        raise DeliveryError(
            str(error), permanent=False, retry_after=retry_after_seconds(wait)
        ) from error
    except (Forbidden, BadRequest, InvalidToken, ChatMigrated) as error:
        raise DeliveryError(str(error), permanent=True) from error
    except PtbError as error:
        raise DeliveryError(str(error), permanent=False) from error
