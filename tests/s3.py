"""A real S3 server on loopback (moto's server mode), one a test run, and a bucket of its own for each test.

Test modules load these fixtures with `pytest_plugins = ["tests.s3"]`.
"""

import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from bench.support import free_port
from lms.storage import default_storage_config
from tests.conftest import service_unavailable
from tests.processes import stopped

REGION = "eu-central-1"
ACCESS_KEY = "sinergia-tests"
# With characters a URL must percent-encode, as real secret keys have.
SECRET_KEY = "not/a+secret"
SECRET_IN_URL = "not%2Fa%2Bsecret"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class S3Server:
    host: str
    port: int

    @property
    def endpoint(self):
        return f"http://{self.host}:{self.port}"

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY)  # fmt: skip


@dataclass(frozen=True)
class Bucket:
    server: S3Server
    name: str

    @property
    def storage_url(self):
        """STORAGE_URL as an operator writes it for this bucket."""
        return (
            f"s3+http://{ACCESS_KEY}:{SECRET_IN_URL}@{self.server.host}:{self.server.port}/{self.name}?region={REGION}"
        )

    def object_keys(self):
        listed = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listed.get("Contents", []))


def _answers(server):
    try:
        server.client().list_buckets()
    except (BotoCoreError, ClientError):
        return False
    return True


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = S3Server("127.0.0.1", free_port())
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", server.host, "-p", str(server.port)],
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(server):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            service_unavailable(f"moto's S3 server did not start on {server.endpoint}: {_tail(log)}")
        time.sleep(0.2)
    yield server
    stopped(process, timeout=10)


def _tail(log: Path):
    return " ".join(log.read_text(errors="replace").split()[-40:])


@pytest.fixture
def s3_bucket(s3_server):
    name = f"sinergia-{uuid.uuid4().hex[:20]}"
    s3_server.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Bucket(s3_server, name)


@pytest.fixture
def object_storage(s3_bucket, settings, tmp_path):
    """This process keeps its stored files in the test's bucket, configured from STORAGE_URL as a deployment is;
    MEDIA_ROOT is an empty folder, to show that nothing lands on the local disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_config(storage_url=s3_bucket.storage_url, environ={}),
    }
    settings.MEDIA_ROOT = tmp_path / "web-media"
    return s3_bucket
