"""moto's server, applying one request at a time.

DynamoDB applies each conditional write atomically. moto's threaded server does not: two
UpdateItem calls with the same condition, arriving together, can both pass it. Holding a lock
around each request keeps moto's connections concurrent but restores the guarantee the service
(and its tests of single-use refresh credentials and rotation locks) relies on.
"""
import threading

import moto.server

_lock = threading.Lock()
_run_simple = moto.server.run_simple


def _serialised(app):
    def handle(environ, start_response):
        with _lock:
            return list(app(environ, start_response))

    return handle


def _run_simple_serialised(hostname, port, application, **options):
    _run_simple(hostname, port, _serialised(application), **options)


moto.server.run_simple = _run_simple_serialised

if __name__ == "__main__":
    moto.server.main()
