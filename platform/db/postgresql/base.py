"""Django's PostgreSQL backend with a health check that costs no round trip when it can.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before the first query of every
request by running ``SELECT 1``: a round trip to the server on every page, a tenth of a
page's time under load here (bench/README.md, sixth pass). A kept connection sits idle
between requests, and an idle PostgreSQL connection receives nothing unasked; a server that
shuts down, restarts or terminates the backend writes its notice and closes the socket.
So an idle socket with nothing to read belongs to a connection the server still holds, and
the check is answered locally. A socket with anything to read (the server's goodbye, EOF,
an error; rarely an asynchronous notice), or one the poll can't look at, gets Django's
``SELECT 1`` as before. What this can't see is a peer that vanished without closing (a
network partition), which ``SELECT 1`` would only have waited on: the request's first
statement fails instead and Django drops the connection at the request's end.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return bool(super().is_usable())
        try:
            poll = select.poll()
            poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            if not poll.poll(0):
                return True  # nothing sent since the last answer: still held by the server
        except (OSError, ValueError):
            pass
        return bool(super().is_usable())
