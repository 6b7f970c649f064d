"""Today's date for every command, fixed by `SOURCE_DATE_EPOCH` for reproducible output."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today, or the date of `SOURCE_DATE_EPOCH` (reproducible output for tests and CI)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
