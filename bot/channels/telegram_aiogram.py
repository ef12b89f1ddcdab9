"""The Telegram backend on aiogram (``TELEGRAM_LIBRARY=aiogram``).

Only plumbing: a ``Dispatcher`` receives updates (its long polling, or webhook updates fed
to it) and hands each one, as Bot API JSON, to the shared handler in
:mod:`bot.channels.telegram`; the sending methods turn neutral
:class:`~bot.channels.telegram_format.Outgoing` messages into Bot API calls.

Polled updates run as separate tasks (aiogram's ``handle_as_tasks``), so a slow core for
one kader does not hold up the others; the shared handler keeps each chat's updates in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
    Update,
    WebAppInfo,
)

from bot.channels.telegram import UpdateHandler
from bot.channels.telegram_format import POLL_TIMEOUT_SECONDS, Keyboard, Outgoing
from handlers.delivery import DeliveryError
from handlers.retry import retry_after_seconds

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Result = TypeVar("Result")


class AiogramBackend:
    """Receives and sends through an aiogram ``Dispatcher`` and ``Bot``."""

    def __init__(self, token: str, api_base_url: str | None, handler: UpdateHandler) -> None:
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(api_base_url))
            if api_base_url
            else AiohttpSession()
        )
        self._bot = Bot(token, session=session)
        self._dp = Dispatcher(disable_fsm=True)
        for observer in (self._dp.message, self._dp.edited_message, self._dp.callback_query):
            observer.register(self._dispatch)
        self._dp.startup.register(self._on_polling_started)
        self._handler = handler
        self._polling: asyncio.Task[None] | None = None
        self._polling_started = asyncio.Event()
        self._feeding: set[asyncio.Task[Any]] = set()

    async def _dispatch(self, _event: TelegramObject, event_update: Update) -> None:
        await self._handler(event_update.model_dump(mode="json", by_alias=True, exclude_none=True))

    async def _on_polling_started(self) -> None:
        self._polling_started.set()

    async def start_polling(self, allowed_updates: Sequence[str]) -> None:
        """Check the token, drop any webhook (aiogram does not), and poll in a task."""
        await _call(self._bot.me())
        await _call(self._bot.delete_webhook())
        polling = asyncio.create_task(
            self._dp.start_polling(
                self._bot,
                polling_timeout=POLL_TIMEOUT_SECONDS,
                handle_signals=False,
                close_bot_session=False,
                allowed_updates=list(allowed_updates),
            )
        )
        self._polling = polling
        started = asyncio.ensure_future(self._polling_started.wait())
        await asyncio.wait({started, polling}, return_when=asyncio.FIRST_COMPLETED)
        if polling.done():
            started.cancel()
            polling.result()
            raise RuntimeError("aiogram polling ended while starting")

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        await _call(self._bot.me())
        await _call(
            self._bot.set_webhook(url, secret_token=secret, allowed_updates=list(allowed_updates))
        )

    async def feed(self, update: dict[str, Any]) -> None:
        """Handle a webhook update in the background, as aiogram's own webhook server does."""
        parsed = Update.model_validate(update, context={"bot": self._bot})
        task = asyncio.create_task(self._dp.feed_update(self._bot, parsed))
        self._feeding.add(task)
        task.add_done_callback(self._fed)

    def _fed(self, task: asyncio.Task[Any]) -> None:
        self._feeding.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("telegram: webhook update failed", exc_info=task.exception())

    async def stop_receiving(self) -> None:
        if self._polling is not None:
            await self._dp.stop_polling()
            await self._polling
            self._polling = None

    async def close(self) -> None:
        for task in self._feeding:
            task.cancel()
        await asyncio.gather(*self._feeding, return_exceptions=True)
        await self._bot.session.close()

    async def set_commands(self, commands: Sequence[tuple[str, str]]) -> None:
        await _call(
            self._bot.set_my_commands(
                [BotCommand(command=name, description=text) for name, text in commands]
            )
        )

    async def send(self, chat_id: int, message: Outgoing) -> None:
        markup = _markup(message.keyboard)
        attachment = message.attachment
        if attachment is None:
            entities = [MessageEntity(**entity) for entity in message.entities()]
            send = self._bot.send_message(
                chat_id, message.text, reply_markup=markup, entities=entities or None
            )
            await _call(send)
            return
        upload = BufferedInputFile(attachment.content, attachment.filename)
        caption = message.text or None
        if attachment.kind == "photo":
            await _call(self._bot.send_photo(chat_id, upload, caption=caption, reply_markup=markup))
        else:
            await _call(
                self._bot.send_document(chat_id, upload, caption=caption, reply_markup=markup)
            )

    async def answer_press(self, callback_query_id: str) -> None:
        await _call(self._bot.answer_callback_query(callback_query_id))

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        await _call(self._bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id))


def _markup(keyboard: Keyboard | None) -> Markup | None:
    if keyboard is None:
        return None
    if keyboard.remove:
        return ReplyKeyboardRemove(remove_keyboard=True)
    if keyboard.contact_label is not None:
        button = KeyboardButton(text=keyboard.contact_label, request_contact=True)
        return ReplyKeyboardMarkup(
            keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True
        )
    if keyboard.location_label is not None:
        button = KeyboardButton(text=keyboard.location_label, request_location=True)
        return ReplyKeyboardMarkup(
            keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True
        )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.label, web_app=WebAppInfo(url=b.web_app))
                if b.web_app
                else InlineKeyboardButton(text=b.label, callback_data=b.data)
                for b in row
            ]
            for row in keyboard.inline
        ]
    )


async def _call(request: Awaitable[Result]) -> Result:
    """Await a Bot API call, turning the library's errors into :class:`DeliveryError`."""
    try:
        return await request
    except TelegramRetryAfter as error:
        raise DeliveryError(
            str(error), permanent=False, retry_after=retry_after_seconds(error.retry_after)
        ) from error
    except (
        TelegramForbiddenError,
        TelegramBadRequest,
        TelegramNotFound,
        TelegramUnauthorizedError,
        TelegramMigrateToChat,
        TelegramEntityTooLarge,
    ) as error:
        raise DeliveryError(str(error), permanent=True) from error
    except (TelegramAPIError, ClientDecodeError) as error:
        raise DeliveryError(str(error), permanent=False) from error
