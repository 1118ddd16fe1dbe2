"""A WebSocket client on Python's `websockets` package: connects, collects what the server says
first, sends `count` numbered messages, waits for their echoes, closes, prints one JSON line.
usage: python3 python-client.py <url> <count>"""
import asyncio
import json
import sys
import time

import websockets


async def main(url, count):
    result = {"upgradeMs": None, "messages": [], "close": None, "error": None}
    started = time.monotonic()
    try:
        async with websockets.connect(url, open_timeout=20) as ws:
            result["upgradeMs"] = (time.monotonic() - started) * 1000
            for i in range(count):
                await ws.send("m%d" % i)
            echoed = 0
            while echoed < count:
                message = await asyncio.wait_for(ws.recv(), 20)
                result["messages"].append(message)
                echoed += message.startswith("m")
            await ws.close(1000, "done")
            result["close"] = "%s %s" % (ws.close_code, ws.close_reason)
    except Exception as e:  # reported, the test asserts on it
        result["error"] = repr(e)
    print(json.dumps(result))


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
