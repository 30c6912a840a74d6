-- wrk script: every request is a POST with a small text body, as `curl -d ping` sends.
wrk.method = "POST"
wrk.body = "ping"
wrk.headers["Content-Type"] = "text/plain"
