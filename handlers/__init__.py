"""Commands and routing on top of the pure conversations and the storage layer."""

from handlers.service import Service, utc_now

__all__ = ["Service", "utc_now"]
