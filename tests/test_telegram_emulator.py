"""Prove that ``tests/telegram_emulator.py`` is faithful enough to trust.

Only the real libraries are used here (python-telegram-bot, aiogram, aiohttp) and no project
code: if these pass, a bot test that fails against the emulator points at the bot, not at the
emulator.  Every test talks real HTTP over 127.0.0.1 and finishes in a second or two.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot as AioBot
from aiogram import Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.types import BotCommand as AioBotCommand
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiohttp import ClientSession, web
from telegram import Bot, BotCommand, Update
from telegram import InlineKeyboardButton as PtbInlineButton
from telegram import InlineKeyboardMarkup as PtbInlineMarkup
from telegram import KeyboardButton as PtbKeyboardButton
from telegram import MessageEntity as PtbEntity
from telegram import ReplyKeyboardMarkup as PtbReplyMarkup
from telegram import ReplyKeyboardRemove as PtbReplyRemove
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

try:  # works whether or not tests/ becomes a package
    from tests.telegram_emulator import TINY_PNG, TelegramEmulator
except ImportError:  # pragma: no cover - depends on rootdir/package layout
    from telegram_emulator import TINY_PNG, TelegramEmulator  # type: ignore[no-redef]

TOKEN = "123456789:AAEmulatorTestToken"


class Returned:
    """What handlers got back from the API.

    The user sees a message before the handler has read the HTTP response, so tests await it.
    """

    def __init__(self) -> None:
        self._futures: dict[str, asyncio.Future[Any]] = {}

    def _future(self, key: str) -> asyncio.Future[Any]:
        if key not in self._futures:
            self._futures[key] = asyncio.get_running_loop().create_future()
        return self._futures[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._future(key).set_result(value)

    async def get(self, key: str) -> Any:
        return await asyncio.wait_for(self._future(key), 5)


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not leftovers, f"leaked tasks: {leftovers}"


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """Run a PTB Application with polling the way production code does, then stop it."""
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@contextlib.asynccontextmanager
async def polling(dp: Dispatcher, bot: AioBot) -> AsyncIterator[None]:
    """Run an aiogram Dispatcher in a task and stop it cleanly."""
    task = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, handle_signals=False))
    try:
        await asyncio.sleep(0)
        yield
    finally:
        await dp.stop_polling()
        await task


def ptb_app(tg: TelegramEmulator) -> Application:
    return ApplicationBuilder().token(tg.token).base_url(tg.bot_api_url).build()


def aiogram_bot(tg: TelegramEmulator) -> AioBot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    return AioBot(tg.token, session=session)


async def send_raw(tg: TelegramEmulator, payload: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """sendMessage as a plain JSON POST, to check the emulator's answer byte for byte."""
    url = f"{tg.bot_api_url}{tg.token}/sendMessage"
    async with ClientSession() as http, http.post(url, json=payload) as resp:
        return await resp.json(), resp.status


@contextlib.asynccontextmanager
async def local_server(app: web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp app on a free 127.0.0.1 port (the bot's webhook endpoint)."""
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


# --------------------------------------------------------------------------------------------
# python-telegram-bot
# --------------------------------------------------------------------------------------------


async def test_ptb_application_conversation(tg: TelegramEmulator) -> None:
    returned = Returned()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = PtbInlineMarkup(
            [
                [
                    PtbInlineButton("Lapor", callback_data="menu:lapor"),
                    PtbInlineButton("Bantuan", callback_data="menu:bantuan"),
                ]
            ]
        )
        name = update.effective_user.first_name
        bold = PtbEntity(PtbEntity.BOLD, offset=3, length=14)  # after 👋 (two UTF-16 units)
        returned["start"] = await update.message.reply_text(
            f"👋 Selamat datang, {name}!", entities=[bold], reply_markup=keyboard
        )

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Oke")
        back = PtbInlineMarkup([[PtbInlineButton("Kembali", callback_data="menu:kembali")]])
        await query.edit_message_reply_markup(back)

    async def ask_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        button = PtbKeyboardButton("Kirim nomor", request_contact=True)
        await update.message.reply_text(
            "Bagikan nomor HP Anda",
            reply_markup=PtbReplyMarkup([[button]], one_time_keyboard=True, resize_keyboard=True),
        )

    async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        contact = update.message.contact
        await update.message.reply_text(
            f"Nomor {contact.phone_number} milik {contact.user_id}",
            reply_markup=PtbReplyRemove(),
        )

    async def send_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        returned["document"] = await update.message.reply_document(
            document=b"desa,balita\nMelati,12\n",
            filename="laporan.csv",
            caption="Laporan bulanan",
        )

    async def send_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        returned["photo"] = await update.message.reply_photo(photo=TINY_PNG, caption="Grafik")

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        largest = update.message.photo[-1]
        await update.message.reply_text(f"Foto diterima: {largest.width}x{largest.height}")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Anda menulis: {update.message.text}")

    app = ptb_app(tg)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.CONTACT, on_contact))
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    app.add_handler(MessageHandler(filters.Regex("^kontak$"), ask_contact))
    app.add_handler(MessageHandler(filters.Regex("^dokumen$"), send_document))
    app.add_handler(MessageHandler(filters.Regex("^foto$"), send_photo))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))

    siti = tg.user(user_id=1001, first_name="Siti", phone="+6281234567001")
    async with running(app):
        await siti.send("/start")
        menu = await siti.expect("Selamat datang")
        assert menu.text == "👋 Selamat datang, Siti!"
        assert menu.entities == [{"offset": 3, "length": 14, "type": "bold"}]
        assert menu.button_texts == ["Lapor", "Bantuan"]
        # PTB parsed the emulator's answer into a real Message (UTF-16 offsets agree).
        sent = await returned.get("start")
        assert sent.parse_entity(sent.entities[0]) == "Selamat datang"
        assert sent.from_user.is_bot and sent.chat.id == siti.id

        press = await siti.press(menu, "Lapor")
        assert (await press.wait_answered())["text"] == "Oke"
        edited = await siti.expect(lambda message: message.edited)
        assert edited.message_id == menu.message_id and edited.text == menu.text
        assert edited.button_texts == ["Kembali"]
        assert edited.edits[0].button_texts == ["Lapor", "Bantuan"]

        await siti.send("kontak")
        prompt = await siti.expect("Bagikan nomor")
        assert prompt.reply_markup is not None
        assert prompt.reply_markup["keyboard"][0][0]["request_contact"] is True
        await siti.tap("Kirim nomor")
        await siti.expect("Nomor +6281234567001 milik 1001")
        assert siti.reply_keyboard is None
        await siti.share_contact(phone="+6281200000002", user_id=2002, first_name="Budi")
        await siti.expect("Nomor +6281200000002 milik 2002")

        await siti.send("dokumen")
        doc = await siti.expect(lambda m: m.document is not None)
        assert doc.document is not None
        assert doc.document.filename == "laporan.csv"
        assert doc.document.content == b"desa,balita\nMelati,12\n"
        assert doc.caption == "Laporan bulanan"
        sent_doc = await returned.get("document")
        assert sent_doc.document.file_name == "laporan.csv"
        assert sent_doc.document.mime_type == "text/csv"

        await siti.send("foto")
        photo = await siti.expect(lambda m: m.photo is not None)
        assert photo.photo is not None and photo.photo.content == TINY_PNG
        assert photo.caption == "Grafik"
        assert (await returned.get("photo")).photo[-1].width == 2

        await siti.send_photo(TINY_PNG)
        await siti.expect("Foto diterima: 2x2")

        await siti.send("apa kabar")
        await siti.expect("Anda menulis: apa kabar")

    assert not tg.unanswered_callback_queries()
    assert [m.message_id for m in siti.messages] == sorted(m.message_id for m in siti.messages)
    assert tg.calls_to("getMe") and tg.calls_to("deleteWebhook")


async def test_ptb_other_update_kinds(tg: TelegramEmulator) -> None:
    async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        loc = update.message.location
        await update.message.reply_text(f"Lokasi {loc.latitude:.2f},{loc.longitude:.2f}")

    async def on_sticker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Stiker {update.message.sticker.emoji}")

    async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.edited_message.reply_text(f"Diubah: {update.edited_message.text}")

    async def on_group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message(f"Rekap untuk {update.effective_chat.title}")

    app = ptb_app(tg)
    app.add_handler(CommandHandler("rekap", on_group_command, filters=filters.ChatType.GROUPS))
    app.add_handler(MessageHandler(filters.LOCATION, on_location))
    app.add_handler(MessageHandler(filters.Sticker.ALL, on_sticker))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))

    budi = tg.user(user_id=1002, first_name="Budi")
    async with running(app):
        await budi.send_location(-7.25, 112.75)
        await budi.expect("Lokasi -7.25,112.75")
        await budi.send_sticker("🙏")
        await budi.expect("Stiker 🙏")
        original = await budi.send("jumlah 12")
        await budi.edit(original, "jumlah 13")
        await budi.expect("Diubah: jumlah 13")
        await budi.send_to_group(-1001234567890, "/rekap@lapor_posyandu_test_bot", title="Kader")
        group_reply = await tg.chat(-1001234567890).expect("Rekap untuk Kader")
        assert group_reply.chat_id == -1001234567890
        await budi.expect_silence(0.05)


# PTB itself warns about int retry_after when it constructs RetryAfter; not our concern here.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_errors_have_telegram_shapes(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    async with Bot(tg.token, base_url=tg.bot_api_url) as bot:
        tg.rate_limit(siti.id, times=1, retry_after=7)
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(siti.id, "halo")
        assert "7" in str(flood.value)
        assert tg.calls_to("sendMessage")[-1].response == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        }
        await bot.send_message(siti.id, "halo")  # the fault was for one call only

        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(siti.id, "x" * 4097)
        await bot.send_message(siti.id, "x" * 4096)

        too_long_data = PtbInlineMarkup([[PtbInlineButton("A", callback_data="x" * 65)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(siti.id, "pilih", reply_markup=too_long_data)

        with pytest.raises(BadRequest, match=r"(?i)parse_mode 'html' is not supported"):
            await bot.send_message(siti.id, "<b>tebal</b>", parse_mode=ParseMode.HTML)
        bold = PtbEntity(PtbEntity.BOLD, offset=11, length=5)  # 🙏 is two UTF-16 units
        ok = await bot.send_message(siti.id, "Selesai 🙏 tebal", entities=[bold])
        assert ok.parse_entity(ok.entities[0]) == "tebal"

        keyboard = PtbInlineMarkup([[PtbInlineButton("Ya", callback_data="ya")]])
        await bot.edit_message_reply_markup(siti.id, ok.message_id, reply_markup=keyboard)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_reply_markup(siti.id, ok.message_id, reply_markup=keyboard)

        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "siapa?")

        await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("lapor", "Lapor")])
        assert tg.commands()[1] == {"command": "lapor", "description": "Lapor"}

        tg.block(siti.id)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(siti.id, "halo")


# --------------------------------------------------------------------------------------------
# aiogram
# --------------------------------------------------------------------------------------------


async def test_aiogram_dispatcher_conversation(tg: TelegramEmulator) -> None:
    router = Router()
    returned = Returned()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Lapor", callback_data="lapor")]]
        )
        bold = MessageEntity(type="bold", offset=0, length=4)
        await message.answer("Halo dari aiogram", entities=[bold], reply_markup=keyboard)

    @router.callback_query(F.data == "lapor")
    async def on_lapor(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_reply_markup(reply_markup=None)

    @router.message(F.text == "kontak")
    async def ask_contact(message: Message) -> None:
        button = KeyboardButton(text="Kirim nomor", request_contact=True)
        await message.answer(
            "Bagikan nomor HP",
            reply_markup=ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True),
        )

    @router.message(F.contact)
    async def on_contact(message: Message) -> None:
        assert message.contact is not None
        await message.answer(
            f"Nomor {message.contact.phone_number} ({message.contact.user_id})",
            reply_markup=ReplyKeyboardRemove(),
        )

    @router.message(F.text == "dokumen")
    async def send_document(message: Message) -> None:
        file = BufferedInputFile(b"rekap;12\n", filename="rekap.csv")
        returned["document"] = await message.answer_document(file, caption="Rekap")

    @router.message(F.text == "foto")
    async def send_photo(message: Message) -> None:
        file = BufferedInputFile(TINY_PNG, filename="grafik.png")
        returned["photo"] = await message.answer_photo(file)

    @router.message(F.photo)
    async def on_photo(message: Message) -> None:
        assert message.photo is not None
        await message.answer(f"Foto {message.photo[-1].width}x{message.photo[-1].height}")

    dp = Dispatcher()
    dp.include_router(router)
    bot = aiogram_bot(tg)
    siti = tg.user(user_id=1001, first_name="Siti", phone="6281234567001")
    async with polling(dp, bot):
        await siti.send("/start")
        hello = await siti.expect("Halo dari aiogram")
        assert hello.entities == [{"offset": 0, "length": 4, "type": "bold"}]
        press = await siti.press(hello, "lapor")
        await press.wait_answered()
        edited = await siti.expect(lambda message: message.edited)
        assert edited.message_id == hello.message_id and edited.reply_markup is None

        await siti.send("kontak")
        await siti.expect("Bagikan nomor HP")
        await siti.tap("Kirim nomor")
        await siti.expect("Nomor 6281234567001 (1001)")
        assert siti.reply_keyboard is None

        await siti.send("dokumen")
        doc = await siti.expect(lambda m: m.document is not None)
        assert doc.document is not None and doc.document.content == b"rekap;12\n"
        sent_doc = await returned.get("document")
        assert sent_doc.document is not None and sent_doc.document.file_name == "rekap.csv"

        await siti.send("foto")
        photo = await siti.expect(lambda m: m.photo is not None)
        assert photo.photo is not None and photo.photo.content == TINY_PNG
        assert (await returned.get("photo")).photo is not None

        await siti.send_photo()
        await siti.expect("Foto 2x2")

    assert not tg.unanswered_callback_queries()
    # aiogram asks only for the update types it has handlers for.
    assert set(tg.allowed_updates) == {"message", "callback_query"}


async def test_aiogram_errors_have_telegram_shapes(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    bot = aiogram_bot(tg)
    try:
        tg.rate_limit(siti.id, times=2, retry_after=3)
        for _ in range(2):
            with pytest.raises(TelegramRetryAfter) as flood:
                await bot.send_message(siti.id, "halo")
            assert flood.value.retry_after == 3
        await bot.send_message(siti.id, "halo")

        with pytest.raises(TelegramBadRequest, match="message is too long"):
            await bot.send_message(siti.id, "ä" * 4097)
        bad = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="é" * 33)]]
        )
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(siti.id, "pilih", reply_markup=bad)
        with pytest.raises(TelegramBadRequest, match="parse_mode 'HTML' is not supported"):
            await bot.send_message(siti.id, "<i>miring</i>", parse_mode="HTML")

        msg = await bot.send_message(siti.id, "awal")
        with pytest.raises(TelegramBadRequest, match="message is not modified"):
            await bot.edit_message_reply_markup(chat_id=siti.id, message_id=msg.message_id)

        await bot.set_my_commands([AioBotCommand(command="lapor", description="Lapor")])
        assert tg.commands() == [{"command": "lapor", "description": "Lapor"}]

        tg.block(siti.id)
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(siti.id, "halo")
    finally:
        await bot.session.close()


# --------------------------------------------------------------------------------------------
# Webhook mode
# --------------------------------------------------------------------------------------------


async def test_webhook_delivery_secret_and_redelivery(tg: TelegramEmulator) -> None:
    received: list[tuple[int, str | None]] = []

    async def receiver(request: web.Request) -> web.Response:
        update = await request.json()
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((update["update_id"], secret))
        return web.Response(status=200 if secret == "s3cret_token" else 403)

    app = web.Application()
    app.router.add_post("/telegram", receiver)
    siti = tg.user(user_id=1001, first_name="Siti")
    async with local_server(app) as url, Bot(tg.token, base_url=tg.bot_api_url) as bot:
        assert await bot.set_webhook(f"{url}/telegram", secret_token="s3cret_token")
        assert tg.webhook.url == f"{url}/telegram" and tg.pending_updates == []
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        update = await siti.send("halo")
        first = tg.deliveries[-1]
        assert (first.status, first.secret_token) == (200, "s3cret_token")
        assert received == [(update["update_id"], "s3cret_token")]

        again = await tg.redeliver(update["update_id"])
        assert again.status == 200 and again.redelivery
        assert received[-1] == (update["update_id"], "s3cret_token")

        assert (await tg.deliver(update, secret_token="wrong")).status == 403
        assert (await tg.deliver(update, secret_token=None)).status == 403
        assert received[-2:] == [(update["update_id"], "wrong"), (update["update_id"], None)]

        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()

    # Receiver gone: the update stays pending, as Telegram keeps it until delivered.
    await bot.initialize()
    try:
        await bot.set_webhook(f"{url}/telegram", secret_token="s3cret_token")
        await siti.send("masih ada?")
        assert tg.deliveries[-1].status is None and tg.deliveries[-1].error
        assert [pending["update_id"] for pending in tg.pending_updates] == [
            tg.updates[-1]["update_id"]
        ]
    finally:
        await bot.shutdown()


# --------------------------------------------------------------------------------------------
# Raw HTTP behaviour (long polling, encodings, unknown methods)
# --------------------------------------------------------------------------------------------


async def test_long_poll_offset_and_conflict(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    api = f"{tg.bot_api_url}{tg.token}"
    async with ClientSession() as http:

        async def get_updates(**params: Any) -> tuple[int, dict[str, Any]]:
            async with http.post(f"{api}/getUpdates", json=params) as resp:
                return resp.status, await resp.json()

        started = time.monotonic()
        waiting = asyncio.create_task(get_updates(timeout=5))
        await tg.wait_for_poller()
        await siti.send("halo")
        status, body = await asyncio.wait_for(waiting, 2)
        assert status == 200 and body["result"][0]["message"]["text"] == "halo"
        assert time.monotonic() - started < 2

        # Not confirmed yet: returned again.  Confirming with offset drops it.
        last = body["result"][-1]["update_id"]
        assert (await get_updates(timeout=0))[1]["result"][0]["update_id"] == last
        assert (await get_updates(offset=last + 1, timeout=0))[1]["result"] == []

        first = asyncio.create_task(get_updates(offset=last + 1, timeout=5))
        await tg.wait_for_poller()
        second = asyncio.create_task(get_updates(offset=last + 1, timeout=5))
        status, body = await asyncio.wait_for(first, 2)
        assert status == 409
        assert body["description"].startswith("Conflict: terminated by other getUpdates request")
        await siti.send("kedua")
        status, body = await asyncio.wait_for(second, 2)
        assert body["result"][0]["message"]["text"] == "kedua"

        empty_started = time.monotonic()
        assert (await get_updates(offset=-1, timeout=0.2))[1]["result"][0]["message"]["text"] == (
            "kedua"
        )
        assert time.monotonic() - empty_started < 0.2


async def test_request_encodings_and_unknown_method(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    api = f"{tg.bot_api_url}{tg.token}"
    async with ClientSession() as http:
        async with http.get(f"{api}/getMe") as resp:
            me = await resp.json()
        assert me["ok"] and me["result"]["is_bot"] and me["result"]["username"]

        async with http.get(f"{api}/sendMessage", params={"chat_id": "1001", "text": "q"}) as r:
            assert (await r.json())["result"]["text"] == "q"
        markup = {"inline_keyboard": [[{"text": "Ya", "callback_data": "ya"}]]}
        async with http.post(
            f"{api}/sendMessage", json={"chat_id": 1001, "text": "json", "reply_markup": markup}
        ) as r:
            assert (await r.json())["result"]["reply_markup"] == markup
        async with http.post(
            f"{api}/sendMessage",
            data={"chat_id": "1001", "text": "form", "reply_markup": '{"remove_keyboard":true}'},
        ) as r:
            result = (await r.json())["result"]
            assert "reply_markup" not in result  # Telegram only echoes inline keyboards
        assert [m.text for m in siti.messages] == ["q", "json", "form"]

        async with http.post(f"{api}/sendSticker", json={"chat_id": 1001}) as resp:
            assert resp.status == 404
            assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.post(f"{tg.bot_api_url}999:WRONG/getMe") as resp:
            assert resp.status == 401
        async with http.post(f"{api}/sendPhoto", data={"chat_id": "1001", "photo": "nope"}) as r:
            assert (await r.json())["description"].startswith("Bad Request: wrong file")


async def test_call_log(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    async with Bot(tg.token, base_url=tg.bot_api_url) as bot:
        await bot.send_message(siti.id, "halo")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "siapa?")
    call = await tg.wait_for_call("sendMessage")
    assert call.params == {"chat_id": 1001, "text": "halo"} and call.ok
    assert [c.status for c in tg.calls_to("SENDMESSAGE")] == [200, 400]


async def test_emulator_releases_its_port() -> None:
    async with TelegramEmulator() as tg:
        port = int(tg.base_url.rsplit(":", 1)[1])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


async def test_entities_follow_the_text_as_telegram_trims_it(tg: TelegramEmulator) -> None:
    """Leading and trailing whitespace is dropped and the entities move with the text."""
    tg.user(user_id=1001, first_name="Siti")
    bold = {"offset": 3, "length": 4, "type": "bold"}
    body, status = await send_raw(tg, {"chat_id": 1001, "text": "  \nrapi  \n", "entities": [bold]})
    assert status == 200, body
    assert body["result"]["text"] == "rapi"
    assert body["result"]["entities"] == [{"offset": 0, "length": 4, "type": "bold"}]
    body, status = await send_raw(tg, {"chat_id": 1001, "text": "<b>x</b>", "parse_mode": "HTML"})
    assert status == 400 and "send entities" in body["description"]


async def test_test_side_api_reports_clearly(tg: TelegramEmulator) -> None:
    siti = tg.user(user_id=1001, first_name="Siti")
    markup = {"inline_keyboard": [[{"text": "Ya", "callback_data": "ya"}]]}
    async with ClientSession() as http:
        api = f"{tg.bot_api_url}{tg.token}"
        payload = {"chat_id": 1001, "text": "Lanjut?", "reply_markup": markup}
        async with http.post(f"{api}/sendMessage", json=payload) as resp:
            assert resp.status == 200
        question = await siti.expect("Lanjut?")
        with pytest.raises(AssertionError, match="no inline button 'Tidak'"):
            await siti.press(question, "Tidak")
        press = await siti.press(question, "Ya")
        assert tg.unanswered_callback_queries() == [press]
        answer = {"callback_query_id": press.id, "text": "Siap"}
        async with http.post(f"{api}/answerCallbackQuery", json=answer) as resp:
            assert (await resp.json())["result"] is True
        async with http.post(f"{api}/answerCallbackQuery", json=answer) as resp:
            assert resp.status == 400  # answering twice is rejected, as by Telegram
        assert tg.unanswered_callback_queries() == []

        with pytest.raises(AssertionError, match="Transcript") as missing:
            await siti.expect("tidak pernah dikirim", timeout=0.05)
        assert "Lanjut?" in str(missing.value)
        await siti.expect_silence(0.05)
        async with http.post(f"{api}/sendMessage", json={"chat_id": 1001, "text": "Eh"}) as resp:
            assert resp.status == 200
        with pytest.raises(AssertionError, match="expected silence"):
            await siti.expect_silence(0.05)
