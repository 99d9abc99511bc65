"""The shared test session books many times with one passenger account and from one address
(127.0.0.1), so it runs the booking service with the open-unpaid-booking limits raised; the
tests of the limits set the defaults (3 per account, 20 per address) on the service itself.
Set before the session's services start; an explicit environment (or the root conftest) wins."""
from __future__ import annotations

import os

os.environ.setdefault("AIRLINE_BOOKING_MAX_OPEN_PER_ACCOUNT", "100000")
os.environ.setdefault("AIRLINE_BOOKING_MAX_OPEN_PER_ADDRESS", "100000")
