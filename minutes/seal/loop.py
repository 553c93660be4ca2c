"""pyHanko's synchronous calls run `asyncio.run`, which refuses to start inside a running loop.

A server thread has no loop, but a thread that already runs one (an ASGI worker, or a test
process after Playwright's sync API started its loop) would have every seal fail. There the
call runs in a short-lived worker thread of its own instead.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop[T](call: Callable[..., T], /, *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="paragraf-seal") as pool:
        return pool.submit(call, *args, **kwargs).result()
