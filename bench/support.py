"""What the benchmark scripts share."""

import dj_database_url
import psycopg


def create_database(url):
    """Create the PostgreSQL database `url` names, when it does not exist yet."""
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres",
                         autocommit=True) as connection:  # fmt: skip
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')
