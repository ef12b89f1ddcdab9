"""The Telegram backend on python-telegram-bot (``TELEGRAM_LIBRARY=ptb``, the default).

Only plumbing: an ``Application`` holds the bot and its HTTP sessions; ``get_updates`` is
its bot's long poll (the channel in :mod:`bot.channels.telegram` runs the loop, so the offset
moves on only after the updates are stored), and the sending methods turn neutral
:class:`~bot.channels.telegram_format.Outgoing` messages into Bot API calls.
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
    WebAppInfo,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.error import TelegramError as PtbError
from telegram.ext import Application, ApplicationBuilder
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram import PollConflictError
from bot.channels.telegram_format import Keyboard, Outgoing
from handlers.delivery import DeliveryError
from handlers.retry import retry_after_seconds

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Result = TypeVar("Result")


class PtbBackend:
    """Fetches updates and sends through a python-telegram-bot ``Application``."""

    def __init__(self, token: str, api_base_url: str | None) -> None:
        builder = ApplicationBuilder().token(token).updater(None)
        if api_base_url:
            base = api_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        self._app: Application = builder.build()

    @property
    def _bot(self) -> Bot:
        return self._app.bot

    async def start(self) -> None:
        """Initialise the application (which checks the token with ``getMe``) and start it."""
        await self._app.initialize()
        await self._app.start()

    async def start_polling(self) -> None:
        await _call(self._bot.delete_webhook())

    async def get_updates(
        self, offset: int | None, timeout: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        try:
            updates = await self._bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=list(allowed_updates)
            )
        except Conflict as error:
            raise PollConflictError(str(error)) from error
        except (TimedOut, NetworkError) as error:
            raise DeliveryError(str(error), permanent=False) from error
        return [update.to_dict() for update in updates]

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        await _call(
            self._bot.set_webhook(url, secret_token=secret, allowed_updates=list(allowed_updates))
        )

    async def close(self) -> None:
        if self._app.running:
            await self._app.stop()
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
