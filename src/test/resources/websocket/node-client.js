// A WebSocket client on Node's `ws` package: connects, collects what the server says first, sends
// `count` numbered messages, waits for their echoes, closes, and prints one JSON line.
// usage: node node-client.js <url> <count> [header=value ...]
const WebSocket = require('ws');
const [url, countArg, ...headerArgs] = process.argv.slice(2);
const count = Number(countArg);
const headers = Object.fromEntries(headerArgs.map(h => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]));
const started = process.hrtime.bigint();
const result = { upgradeMs: null, messages: [], close: null, error: null };
const ws = new WebSocket(url, { headers });
const done = () => { console.log(JSON.stringify(result)); process.exit(0); };
const timer = setTimeout(() => { result.error = 'timeout'; done(); }, 20000);
ws.on('upgrade', () => { result.upgradeMs = Number(process.hrtime.bigint() - started) / 1e6; });
ws.on('open', () => { for (let i = 0; i < count; i++) ws.send('m' + i); });
ws.on('message', (data) => {
  result.messages.push(data.toString());
  if (result.messages.filter(m => m.startsWith('m')).length === count) ws.close(1000, 'done');
});
ws.on('close', (code, reason) => { result.close = code + ' ' + reason; clearTimeout(timer); done(); });
ws.on('error', (e) => { result.error = String(e); });
