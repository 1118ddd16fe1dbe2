// A server-first upstream on Node's `ws` package: says "welcome" as soon as a session opens (in the
// same write burst as its 101), then echoes. Prints {"port":N} once listening, then one JSON line
// per handshake with the request headers.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => console.log(JSON.stringify({ port: wss.address().port })));
wss.on('headers', (_, req) => console.log(JSON.stringify({ handshake: req.headers })));
wss.on('connection', (ws) => {
  ws.send('welcome');
  ws.on('message', (data, binary) => ws.send(data, { binary }));
});
