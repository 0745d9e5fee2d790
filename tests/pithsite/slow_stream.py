"""A WSGI app streaming for four and a half seconds (tests/pithsite/test_gunicorn_conf.py)."""

import time


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def body():
        for number in range(10):
            time.sleep(0.45)
            yield f"{number}\n".encode()

    return body()
