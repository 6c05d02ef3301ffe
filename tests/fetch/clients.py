"""Client settings the fetch tests share: a contact address and a retry policy with millisecond backoff."""

from __future__ import annotations

from evidence_tables.corpus.http import RetryPolicy

EMAIL = "reviewer@example.org"
FAST_RETRY = RetryPolicy(attempts=4, base=0.002, cap=0.01)
