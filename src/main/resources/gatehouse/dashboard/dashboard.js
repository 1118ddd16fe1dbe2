/*
 * Gatehouse dashboard. Polls dashboard.json (cumulative counters and gauges) every second, keeps
 * the last 60 samples, derives rates from successive samples and draws them on <canvas> with the
 * small chart helpers below. No dependencies, no external assets.
 *
 * Test hooks: every chart canvas carries data-samples (points or bars drawn) and <body> carries
 * data-updates (successful polls).
 */
(function () {
  'use strict';

  var POLL_MS = 1000;
  var HISTORY = 60;            // points kept and drawn per chart (one per poll)
  var RATE_WINDOW_MS = 1000;   // rates span at least this much server time when they can
  var INK = '#1b2330', MUTED = '#5f6b7a', GRID = '#e8ebf0';
  var BLUE = '#2f6fdb', TEAL = '#0f9488', PURPLE = '#7c4dce';
  var STATUS = [['1xx', '#94a3b8'], ['2xx', '#22a55a'], ['3xx', '#3b82f6'], ['4xx', '#f59e0b'], ['5xx', '#e04848']];
  var LATENCY = [['p50', '#22a55a'], ['p95', '#e08a0b'], ['p99', '#d64545']];

  var samples = [];  // raw samples, oldest first
  var points = [];   // derived values per poll, oldest first
  var updates = 0;

  function $(id) { return document.getElementById(id); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
  function field(s, path) { return path.split('.').reduce(function (o, k) { return o == null ? undefined : o[k]; }, s); }

  /* ---------- formatting ---------- */

  function fmtNum(v) {
    if (v == null || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return Math.round(v / 1e3) + 'k';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 100 || v === 0) return String(Math.round(v));
    return a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  function fmtAxis(v) { return v >= 1000 ? fmtNum(v) : String(parseFloat(v.toPrecision(3))); }
  function fmtMs(ms) {
    if (ms == null || !isFinite(ms)) return '–';
    return ms >= 100 ? fmtCount(ms) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
  }
  function fmtBytes(v) {
    if (v == null || !isFinite(v)) return '–';
    var units = ['B/s', 'KB/s', 'MB/s', 'GB/s'], i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? Math.round(v) : v.toFixed(1)) + ' ' + units[i];
  }
  function fmtCount(v) { return Math.round(num(v)).toLocaleString('en-US'); }

  /* ---------- chart helpers ---------- */

  function prepare(canvas) {
    var dpr = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || 300, h = canvas.clientHeight || 150;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    ctx.lineJoin = 'round';
    return { ctx: ctx, w: w, h: h };
  }

  /** A round axis maximum >= v, made of four round steps (whole numbers with integer). */
  function niceCeil(v, integer) {
    var step = integer ? Math.max(1, Math.ceil(v / 4)) : v / 4;
    if (!(step > 0)) return 1;
    var e = Math.pow(10, Math.floor(Math.log10(step))), f = step / e;
    var steps = integer && e === 1 ? [1, 2, 3, 4, 5, 6, 8, 10] : [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) {
      if (f <= steps[i] + 1e-9) return 4 * steps[i] * e;
    }
    return 40 * e;
  }

  /** Grid, y labels (0..max) and the time axis; returns the plot box. */
  function frame(g, max) {
    var ctx = g.ctx, box = { x: 44, y: 8, w: g.w - 52, h: g.h - 28 };
    ctx.lineWidth = 1;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (var i = 0; i <= 4; i++) {
      var y = Math.round(box.y + box.h - box.h * i / 4) + 0.5;
      ctx.strokeStyle = i === 0 ? '#c9d0da' : GRID;
      ctx.beginPath(); ctx.moveTo(box.x, y); ctx.lineTo(box.x + box.w, y); ctx.stroke();
      ctx.fillStyle = MUTED;
      ctx.fillText(fmtAxis(max * i / 4), box.x - 6, y);
    }
    ctx.textBaseline = 'top';
    var labels = [['left', '−60 s', 0], ['center', '−30 s', 0.5], ['right', 'now', 1]];
    labels.forEach(function (l) {
      ctx.textAlign = l[0];
      ctx.fillText(l[1], box.x + box.w * l[2], box.y + box.h + 6);
    });
    return box;
  }

  function slotX(box, i, n) { return box.x + box.w - (n - 1 - i) * box.w / (HISTORY - 1); }

  function waiting(g, box) {
    g.ctx.fillStyle = MUTED; g.ctx.textAlign = 'center'; g.ctx.textBaseline = 'middle';
    g.ctx.fillText('waiting for data…', box.x + box.w / 2, box.y + box.h / 2);
  }

  /**
   * series: [{values: [number|null], color, fill}], values aligned to the last HISTORY polls;
   * integer: whole-number axis ticks (counts of things).
   */
  function lineChart(canvas, series, integer) {
    var g = prepare(canvas), ctx = g.ctx, max = 0, drawn = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v != null) max = Math.max(max, v); }); });
    var top = niceCeil(max * 1.05, integer), box = frame(g, top);
    series.forEach(function (s) {
      var n = s.values.length, pts = [];
      s.values.forEach(function (v, i) {
        if (v != null) pts.push([slotX(box, i, n), box.y + box.h - box.h * Math.min(v, top) / top]);
      });
      drawn = Math.max(drawn, pts.length);
      if (!pts.length) return;
      if (s.fill && pts.length > 1) {
        ctx.beginPath(); ctx.moveTo(pts[0][0], box.y + box.h);
        pts.forEach(function (p) { ctx.lineTo(p[0], p[1]); });
        ctx.lineTo(pts[pts.length - 1][0], box.y + box.h); ctx.closePath();
        ctx.fillStyle = s.fill; ctx.fill();
      }
      ctx.strokeStyle = s.color; ctx.lineWidth = 2;
      ctx.beginPath();
      pts.forEach(function (p, i) { if (i === 0) ctx.moveTo(p[0], p[1]); else ctx.lineTo(p[0], p[1]); });
      ctx.stroke();
      var last = pts[pts.length - 1];
      ctx.fillStyle = s.color; ctx.beginPath(); ctx.arc(last[0], last[1], 3, 0, 2 * Math.PI); ctx.fill();
    });
    if (!drawn) waiting(g, box);
    canvas.dataset.samples = String(drawn);
  }

  /** rows: [[v1, v2, ...] | null] stacked per poll, colors per stack level. */
  function stackedBars(canvas, rows, colors) {
    var g = prepare(canvas), ctx = g.ctx, max = 0, drawn = 0;
    rows.forEach(function (r) { if (r) max = Math.max(max, r.reduce(function (a, b) { return a + b; }, 0)); });
    var top = niceCeil(max * 1.05), box = frame(g, top), n = rows.length;
    var bw = Math.max(2, box.w / (HISTORY - 1) * 0.72);
    rows.forEach(function (r, i) {
      if (!r) return;
      drawn++;
      var x = slotX(box, i, n) - bw / 2, y = box.y + box.h;
      r.forEach(function (v, k) {
        var hgt = box.h * v / top;
        if (hgt <= 0) return;
        ctx.fillStyle = colors[k];
        ctx.fillRect(x, y - hgt, bw, hgt);
        y -= hgt;
      });
    });
    if (!drawn) waiting(g, box);
    canvas.dataset.samples = String(drawn);
  }

  /** entries: [{label, value, note}] drawn as horizontal bars, largest first. */
  function hBars(canvas, entries, color) {
    var g = prepare(canvas), ctx = g.ctx;
    entries = entries.slice().sort(function (a, b) { return b.value - a.value; }).slice(0, 8);
    canvas.dataset.samples = String(entries.length);
    if (!entries.length) {
      ctx.fillStyle = MUTED; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText('No rejections so far', g.w / 2, g.h / 2);
      return;
    }
    var labelW = 0, valueW = 0;
    entries.forEach(function (e) {
      labelW = Math.max(labelW, ctx.measureText(e.label).width);
      valueW = Math.max(valueW, ctx.measureText(e.text).width);
    });
    labelW = Math.min(labelW, g.w * 0.4);
    var x0 = labelW + 12, maxW = Math.max(10, g.w - x0 - valueW - 10);
    var row = Math.min(26, g.h / entries.length), bh = Math.min(16, row - 6), top = entries[0].value || 1;
    ctx.textBaseline = 'middle';
    entries.forEach(function (e, i) {
      var cy = row * i + row / 2, w = Math.max(2, maxW * e.value / top);
      ctx.fillStyle = INK; ctx.textAlign = 'right';
      ctx.fillText(clip(ctx, e.label, labelW), labelW + 4, cy);
      ctx.fillStyle = color; ctx.fillRect(x0, cy - bh / 2, w, bh);
      ctx.fillStyle = MUTED; ctx.textAlign = 'left';
      ctx.fillText(e.text, x0 + w + 6, cy);
    });
  }

  function clip(ctx, text, width) {
    if (ctx.measureText(text).width <= width) return text;
    while (text.length > 1 && ctx.measureText(text + '…').width > width) text = text.slice(0, -1);
    return text + '…';
  }

  function legend(id, items) {
    var box = $(id);
    box.textContent = '';
    items.forEach(function (it) {
      var span = document.createElement('span'), sw = document.createElement('i');
      sw.style.background = it[1];
      span.appendChild(sw);
      span.appendChild(document.createTextNode(it[0]));
      box.appendChild(span);
    });
  }

  /* ---------- samples to points ---------- */

  /** The newest earlier sample at least RATE_WINDOW_MS older than s, else the oldest one. */
  function base(s) {
    for (var i = samples.length - 2; i >= 0; i--) {
      if (s.time - samples[i].time >= RATE_WINDOW_MS) return samples[i];
    }
    return samples.length > 1 ? samples[0] : null;
  }

  function derive(s) {
    var last = samples[samples.length - 1];
    if (last && (num(s.requests) < num(last.requests) || s.time <= last.time)) {
      if (s.time > last.time) samples = []; // counters went back: the proxy restarted
      else return null;                     // same instant: nothing new to say
    }
    samples.push(s);
    if (samples.length > HISTORY + 1) samples.shift();
    var b = base(s), p = {
      p50: num(field(s, 'latency.p50')) * 1000, p95: num(field(s, 'latency.p95')) * 1000,
      p99: num(field(s, 'latency.p99')) * 1000, connections: num(s.connections), tunnels: num(s.tunnels),
      rps: null, status: null, errors: null, bytesIn: null, bytesOut: null
    };
    if (b) {
      var dt = (s.time - b.time) / 1000;
      var rate = function (path) { return Math.max(0, (num(field(s, path)) - num(field(b, path))) / dt); };
      p.rps = rate('requests');
      p.status = STATUS.map(function (st) { return rate('status.' + st[0]); });
      p.errors = p.rps > 0 ? (p.status[3] + p.status[4]) / p.rps : 0;
      p.bytesIn = rate('bytes.received');
      p.bytesOut = rate('bytes.sent');
    }
    points.push(p);
    if (points.length > HISTORY) points.shift();
    return p;
  }

  /* ---------- rendering ---------- */

  function text(id, value) { $(id).textContent = value; }

  function renderNumbers(s, p) {
    text('proxy-id', s.proxy_id || '?');
    document.title = 'Gatehouse · ' + (s.proxy_id || '');
    text('rps', fmtNum(p.rps));
    text('errors', p.errors == null ? '–' : p.errors === 0 ? '0 %' : (p.errors * 100).toFixed(p.errors < 0.1 ? 1 : 0) + ' %');
    var none = !num(s.requests); // no request yet: no latency either
    text('p50', none ? '–' : fmtMs(p.p50)); text('p95', none ? '–' : fmtMs(p.p95)); text('p99', none ? '–' : fmtMs(p.p99));
    text('connections', fmtCount(p.connections)); text('tunnels', fmtCount(p.tunnels));
    text('bytes-in', fmtBytes(p.bytesIn)); text('bytes-out', fmtBytes(p.bytesOut));
    text('requests', fmtCount(s.requests));
  }

  function renderRoutes(routes) {
    var box = $('routes'), names = Object.keys(routes || {});
    box.textContent = '';
    if (!names.length) {
      var empty = document.createElement('p');
      empty.className = 'empty'; empty.textContent = 'No routes configured.';
      box.appendChild(empty);
      return;
    }
    names.forEach(function (name) {
      var r = routes[name], wrap = document.createElement('div'), head = document.createElement('div');
      wrap.className = 'route'; wrap.dataset.route = name;
      head.className = 'route-head';
      var strong = document.createElement('strong'), count = document.createElement('span');
      strong.textContent = name;
      count.className = 'count' + (r.healthy === 0 ? ' bad' : r.healthy < r.total ? ' warn' : '');
      count.textContent = r.healthy + ' / ' + r.total + ' available';
      head.appendChild(strong); head.appendChild(count);
      var chips = document.createElement('div');
      chips.className = 'chips';
      (r.targets || []).forEach(function (t) {
        var open = t.breaker === 'OPEN' || t.breaker === 'FORCED_OPEN';
        var chip = document.createElement('span'), url = document.createElement('span'), st = document.createElement('span');
        chip.className = 'chip ' + (!t.healthy || open ? 'bad' : t.breaker === 'HALF_OPEN' ? 'warn' : 'ok');
        chip.dataset.route = name; chip.dataset.target = t.url;
        chip.dataset.healthy = String(t.healthy); chip.dataset.breaker = t.breaker;
        chip.title = t.url + ' — ' + (t.healthy ? 'healthy' : 'unhealthy') + ', breaker ' + t.breaker + ', ' + t.in_flight + ' in flight';
        url.className = 'url'; url.textContent = t.url.replace(/^https?:\/\//, '');
        st.className = 'state';
        st.textContent = (t.healthy ? 'healthy' : 'unhealthy') + ' · ' + String(t.breaker).toLowerCase().replace('_', '-')
          + (t.in_flight ? ' · ' + t.in_flight + ' in flight' : '');
        chip.appendChild(url); chip.appendChild(st);
        chips.appendChild(chip);
      });
      wrap.appendChild(head); wrap.appendChild(chips);
      box.appendChild(wrap);
    });
  }

  function rejections(s) {
    var now = s && s.rejections ? s.rejections : {}, old = samples.length ? samples[0].rejections || {} : {};
    return Object.keys(now).filter(function (k) { return num(now[k]) > 0; }).map(function (k) {
      var recent = num(now[k]) - num(old[k]);
      return { label: k, value: num(now[k]), text: fmtCount(now[k]) + (recent > 0 && samples.length > 1 ? '  (+' + fmtCount(recent) + ' in 60 s)' : '') };
    });
  }

  function pick(key) { return points.map(function (p) { return p[key]; }); }

  function summaries(rejected) {
    var rps = pick('rps').filter(function (v) { return v != null; });
    var avg = rps.reduce(function (a, b) { return a + b; }, 0) / (rps.length || 1);
    text('summary-rps', rps.length ? 'average ' + fmtNum(avg) + ' · peak ' + fmtNum(Math.max.apply(null, rps)) : '');
    var total = rejected.reduce(function (a, e) { return a + e.value; }, 0);
    text('summary-rejections', rejected.length ? fmtCount(total) + ' refused in total, ' + rejected.length + ' reason'
      + (rejected.length === 1 ? '' : 's') : '');
  }

  function draw() {
    var rejected = rejections(samples[samples.length - 1]);
    summaries(rejected);
    lineChart($('chart-rps'), [{ values: pick('rps'), color: BLUE, fill: 'rgba(47,111,219,0.12)' }]);
    lineChart($('chart-latency'), LATENCY.map(function (l) { return { values: pick(l[0]), color: l[1] }; }));
    stackedBars($('chart-status'), pick('status'), STATUS.map(function (st) { return st[1]; }));
    lineChart($('chart-connections'), [
      { values: pick('connections'), color: TEAL, fill: 'rgba(15,148,136,0.10)' },
      { values: pick('tunnels'), color: PURPLE }], true);
    hBars($('chart-rejections'), rejected, '#e07a3f');
  }

  function setLive(ok, message) {
    $('live-dot').className = 'dot ' + (ok ? 'up' : 'down');
    text('live-text', message);
  }

  function poll() {
    fetch('dashboard.json', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (s) {
        var p = derive(s);
        updates++;
        document.body.dataset.updates = String(updates);
        if (p) {
          renderNumbers(s, p);
          renderRoutes(s.routes);
          draw();
        }
        setLive(true, 'live · ' + new Date(s.time).toLocaleTimeString('en-GB'));
      })
      .catch(function (e) { setLive(false, 'no data (' + e.message + '), retrying'); })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  function start() {
    legend('legend-latency', LATENCY);
    legend('legend-status', STATUS);
    legend('legend-connections', [['connections', TEAL], ['tunnels', PURPLE]]);
    draw();
    window.addEventListener('resize', draw);
    poll();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
