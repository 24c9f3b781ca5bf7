"""What the benchmark scripts share."""

import os
import statistics
import time

import dj_database_url
import psycopg


def create_database(url):
    """Create the PostgreSQL database `url` names, when it does not exist yet."""
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres",
                         autocommit=True) as connection:  # fmt: skip
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


# As deployed (DEBUG off: no query log, no template debugging), over plain HTTP as the benchmarks speak it.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 60,
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "BEHIND_HTTPS_PROXY": "0",
}


def production_settings():
    """Set the environment for production settings, unless the caller set otherwise."""
    for name, value in PRODUCTION.items():
        os.environ.setdefault(name, value)


def spreads_ms(runs, *calls):
    """(min, median, max) time of each call, run in turn so that a slower spell of the machine weighs on all alike."""
    for call in calls:
        call()
    times = [[] for _call in calls]
    for _ in range(runs):
        for call, measured in zip(calls, times, strict=True):
            start = time.perf_counter()
            call()
            measured.append((time.perf_counter() - start) * 1000)
    return [(min(measured), statistics.median(measured), max(measured)) for measured in times]


def medians_ms(runs, *calls):
    return [median for _least, median, _most in spreads_ms(runs, *calls)]
