"""Benchmark: fetch N synthetic abstracts from the loopback E-utilities server at NCBI's rate limit.

Prints the requests made and the wall time beside their floors (1 esearch +
ceil(N / batch) efetch; at R evenly paced request starts, (R - 1) / rate
seconds), the requests refused for rate (429), and checks the database is
complete and exact. Target: within 10% of both floors, zero refusals.

    python bench/fetch.py [--n 2000] [--batch 200] [--with-key]

Only 127.0.0.1 is contacted: the server runs in this process.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fetch"))

from corpus_synth import make_corpus  # noqa: E402
from loopback import Loopback  # noqa: E402

from evidence_tables.corpus.eutils import EutilsClient, ncbi_rate  # noqa: E402
from evidence_tables.db import EvidenceDB  # noqa: E402
from evidence_tables.fetch_jobs import fetch_pubmed  # noqa: E402

KEY = "bench-key"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic abstracts on the server")
    parser.add_argument("--batch", type=int, default=200, help="PMIDs per efetch")
    parser.add_argument(
        "--with-key", action="store_true", help="send an API key (10 requests/s instead of 3)"
    )
    args = parser.parse_args()

    api_key = KEY if args.with_key else None
    rate = ncbi_rate(api_key)
    server = Loopback(
        records=make_corpus(args.n, no_abstract_every=0),
        limit=3,
        keyed_limit=10,
        window=1.0,
        keys=(KEY,),
    )
    server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp, httpx.Client(timeout=30.0) as http:
            store = EvidenceDB(Path(tmp) / "bench.db")
            client = EutilsClient(
                http, email="bench@example.org", api_key=api_key, base_url=server.eutils_url
            )
            started = time.perf_counter()
            report = fetch_pubmed(store, client, "car-t lymphoma", batch_size=args.batch)
            wall = time.perf_counter() - started
            exact = all(
                store.study(r.pmid)["abstract"] == r.expected_pubmed() for r in server.records
            )
            stored = store.count("studies")
            store.close()
    finally:
        server.stop()

    esearch, efetch = len(server.requests("esearch.fcgi")), len(server.requests("efetch.fcgi"))
    floor_requests = 1 + math.ceil(args.n / args.batch)
    floor_wall = (floor_requests - 1) / rate
    requests_ok = esearch + efetch <= floor_requests * 1.10
    wall_ok = wall <= floor_wall * 1.10
    print(
        f"fetched {stored}/{args.n} abstracts at {rate:g} requests/s (batch {args.batch}); "
        f"database {'complete and exact' if exact and stored == args.n else 'WRONG'}; run status ok={report.ok}"
    )
    print(
        f"requests   {esearch + efetch:>6} ({esearch} esearch + {efetch} efetch)   floor {floor_requests:>6}   "
        f"{(esearch + efetch) / floor_requests - 1:+.1%}  {'ok' if requests_ok else 'OVER 10%'}"
    )
    print(
        f"wall time  {wall:>6.2f} s   floor {floor_wall:>6.2f} s ((R-1)/rate)   "
        f"{wall / floor_wall - 1:+.1%}  {'ok' if wall_ok else 'OVER 10%'}"
    )
    print(f"refused for rate (HTTP 429): {server.refused}   retries: {client.stats.retries}")
    good = (
        requests_ok and wall_ok and server.refused == 0 and exact and stored == args.n and report.ok
    )
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
