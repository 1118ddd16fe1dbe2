-- wrk script for forward-proxy requests: an absolute-URI request line and the matching Host
-- header, as `curl -x` sends them. bench/run.sh sets TARGET, e.g.
--   TARGET=http://127.0.0.1:18080/small.txt wrk -s bench/abs.lua http://127.0.0.1:PROXYPORT/
-- which sends "GET http://127.0.0.1:18080/small.txt HTTP/1.1" / "Host: 127.0.0.1:18080"
-- to the proxy on PROXYPORT.
local target = os.getenv("TARGET")
if target == nil or target == "" then
  error("abs.lua: set TARGET to the absolute URI to request, e.g. http://127.0.0.1:18080/small.txt")
end
wrk.path = target
wrk.headers["Host"] = target:match("^%a+://([^/]+)")
