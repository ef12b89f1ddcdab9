"""The Telegram backend on aiogram (``TELEGRAM_LIBRARY=aiogram``).

Only plumbing: ``get_updates`` is the ``Bot``'s long poll (the channel in
:mod:`bot.channels.telegram` runs the loop, so the offset moves on only after the updates are
stored), and the sending methods turn neutral :class:`~bot.channels.telegram_format.Outgoing`
messages into Bot API calls.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
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
    WebAppInfo,
)

from bot.channels.telegram import PollConflictError
from bot.channels.telegram_format import Keyboard, Outgoing
from handlers.delivery import DeliveryError
from handlers.retry import retry_after_seconds

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Result = TypeVar("Result")
POLL_MARGIN_SECONDS = 10
"""How much longer than Telegram's long-poll timeout the HTTP request may take."""


class AiogramBackend:
    """Fetches updates and sends through an aiogram ``Bot``."""

    def __init__(self, token: str, api_base_url: str | None) -> None:
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(api_base_url))
            if api_base_url
            else AiohttpSession()
        )
        self._bot = Bot(token, session=session)

    async def start(self) -> None:
        """Check the token."""
        await _call(self._bot.me())

    async def start_polling(self) -> None:
        await _call(self._bot.delete_webhook())

    async def get_updates(
        self, offset: int | None, timeout: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        try:
            updates = await self._bot.get_updates(
                offset=offset,
                timeout=timeout,
                allowed_updates=list(allowed_updates),
                request_timeout=timeout + POLL_MARGIN_SECONDS,
            )
        except TelegramConflictError as error:
            raise PollConflictError(str(error)) from error
        except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as error:
            raise DeliveryError(str(error), permanent=False) from error
        return [
            update.model_dump(mode="json", by_alias=True, exclude_none=True) for update in updates
        ]

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        await _call(
            self._bot.set_webhook(url, secret_token=secret, allowed_updates=list(allowed_updates))
        )

    async def close(self) -> None:
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
