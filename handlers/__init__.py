"""Commands and routing on top of the pure conversations and the storage layer."""

from handlers.clock import utc_now
from handlers.service import Service

__all__ = ["Service", "utc_now"]
