-- wrk script: GET with "Connection: close" (a new TLS connection per request).
wrk.headers["Connection"] = "close"
