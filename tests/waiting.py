import time


def wait_until(condition, timeout=20):
    """Poll `condition` until it holds or `timeout` seconds pass; True when it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
