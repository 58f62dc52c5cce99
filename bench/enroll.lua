-- wrk script: POST /.well-known/est/simpleenroll with a fixed base64 PKCS#10 CSR.
-- The CSR file is named by the environment variable EST4J_BENCH_CSR.
-- Set EST4J_BENCH_CLOSE=1 to add "Connection: close" (a new TLS connection per request).
local path = os.getenv("EST4J_BENCH_CSR")
if not path then
  error("set EST4J_BENCH_CSR to a file holding a base64 DER PKCS#10 CSR")
end
local f = assert(io.open(path, "rb"))
local csr = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = "/.well-known/est/simpleenroll"
wrk.body = csr
wrk.headers["Content-Type"] = "application/pkcs10"
if os.getenv("EST4J_BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end
