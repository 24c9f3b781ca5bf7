"""Where stored files live (certificates' PDFs, ZIPs, copies of personal data, logos, signatures, stamps), and how
one reaches the person allowed to download it.

With STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) set, they are private objects in an S3-compatible bucket that every web
server and worker shares; otherwise files under MEDIA_ROOT. Nobody is given a bucket address: a view checks who asks,
then streams the file through the app (stored_file_response).
"""

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
SCHEMES = {"s3": "https", "s3+http": "http"}
# No ACL is sent: objects take the bucket's own (private), and buckets with ACLs disabled refuse any. Signed,
# short-lived URLs only, should anything ask for one; a new file never replaces another of the same name.
PRIVATE_OBJECTS = {"default_acl": None, "querystring_auth": True, "querystring_expire": 60, "file_overwrite": False}
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
URL_PARAMETERS = {"region": "region_name", "addressing_style": "addressing_style"}
ADDRESSING_STYLES = {"path", "virtual", "auto"}
CHUNK_BYTES = 64 * 1024
URL_FORM = "s3://KEY:SECRET@host:port/bucket/folder?region=eu-central-1"


def _invalid(problem):
    # The URL itself is never repeated: it holds the secret key.
    return ImproperlyConfigured(f"STORAGE_URL {problem} Expected: {URL_FORM} (s3+http:// for a plain http endpoint).")


def storage_url_options(url):
    """S3Storage's options from STORAGE_URL.

    s3:// reaches the host over https, s3+http:// over plain http; without a host (s3:///bucket) the cloud's own
    endpoint. The path is the bucket, then an optional folder to keep the files under. Keys left out come from
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's role); characters such as / in them are written
    percent-encoded (%2F).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES:
        raise _invalid("must start with s3:// or s3+http://.")
    # A key with a / (or ?, #) written as is ends the host early: the rest of the key would be read as the port,
    # path or query, and repeated in the messages below.
    unencoded = "has a port that is not a number, or keys with /, ?, # or @ as is: percent-encode them (/ as %2F)."
    try:
        port = parts.port
    except ValueError:
        raise _invalid(unencoded) from None
    if "@" in parts.path + parts.query + parts.fragment:
        raise _invalid(unencoded)
    bucket, _slash, folder = parts.path.lstrip("/").partition("/")
    if not bucket:
        raise _invalid("names no bucket: it follows the host (s3:///bucket for the cloud's own endpoint).")
    if not BUCKET_NAME.fullmatch(bucket):
        raise _invalid(f"names the bucket {bucket!r}: a bucket is 3 to 63 lowercase letters, digits, dots, hyphens.")
    options = {"bucket_name": bucket}
    if folder.strip("/"):
        options["location"] = folder.strip("/")
    if parts.hostname:
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        options["endpoint_url"] = f"{SCHEMES[parts.scheme]}://{host}" + (f":{port}" if port else "")
        # Every S3-compatible server answers path-style requests; bucket.host names need DNS set up for them.
        options["addressing_style"] = "path"
    elif parts.scheme == "s3+http":
        raise _invalid("uses s3+http:// without a host: the cloud's own endpoint is reached over https (s3://).")
    if parts.username or parts.password:
        if not (parts.username and parts.password):
            raise _invalid("needs both the access key and the secret key, or neither.")
        options["access_key"], options["secret_key"] = unquote(parts.username), unquote(parts.password)
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in URL_PARAMETERS:
            raise _invalid(f"has an unknown parameter {name!r}: only region and addressing_style are read.")
        if not value or (name == "addressing_style" and value not in ADDRESSING_STYLES):
            raise _invalid(f"has {name}={value!r}: a region such as eu-central-1; addressing_style path or virtual.")
        options[URL_PARAMETERS[name]] = value
    return options


def default_storage_config(*, storage_url, environ):
    """STORAGES["default"]: a bucket when STORAGE_URL, or AWS_STORAGE_BUCKET_NAME (with AWS_S3_ENDPOINT_URL and
    AWS_S3_REGION_NAME), names one; otherwise the file system under MEDIA_ROOT."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if storage_url and bucket:
        raise ImproperlyConfigured("Set STORAGE_URL or AWS_STORAGE_BUCKET_NAME, not both: they both name a bucket.")
    if storage_url:
        options = storage_url_options(storage_url)
    elif bucket:
        options = {"bucket_name": bucket}
        if endpoint := environ.get("AWS_S3_ENDPOINT_URL"):
            options.update(endpoint_url=endpoint, addressing_style="path")
        if region := environ.get("AWS_S3_REGION_NAME"):
            options["region_name"] = region
    else:
        return {"BACKEND": FILE_SYSTEM}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**PRIVATE_OBJECTS, **options}}


def stored_file_open(name, storage=None):
    """The stored file `name` opened for reading, its `size` known, without a local copy: from a bucket, the object's
    body as it arrives (S3Storage.open would first copy the whole object into memory). FileNotFoundError when it is
    missing."""
    storage = storage or default_storage
    if not name:
        raise FileNotFoundError("No file is stored under an empty name.")
    if not getattr(storage, "bucket_name", None):  # the file system
        return storage.open(name, "rb")
    # Imported only where a bucket is used: boto3 costs a process a fifth of a second.
    from botocore.exceptions import ClientError
    from storages.utils import clean_name

    key = storage._normalize_name(clean_name(name))  # the key under the storage's folder, as S3Storage names it
    try:
        found = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            raise FileNotFoundError(f"No object {key} in the bucket {storage.bucket_name}.") from None
        raise
    file = File(found["Body"], name=name)
    file.size = found["ContentLength"]
    return file


def stored_file_response(name, *, content_type, filename="", as_attachment=False, storage=None):
    """The stored file streamed to the browser in chunks, with its Content-Length; 404 when it is missing.

    Every view that hands out a stored file ends with this, after its own permission checks.
    """
    try:
        file = stored_file_open(name, storage)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response.block_size = CHUNK_BYTES
    response["Content-Length"] = file.size
    return response
