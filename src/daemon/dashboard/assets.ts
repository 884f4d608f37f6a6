// assets.ts holds the dashboard's only script and style sheet, served by the daemon itself (no CDN, works
// offline). The script listens to /stream (Server-Sent Events from a store watch): a change of a kind the page
// shows (<main data-live>) fetches the page again as a fragment and swaps <main>; an Event is inserted at the top
// of the events table. body[data-stream] says whether the stream is connected (tests and the bench wait for it).

/** APP_JS is /assets/app.js. */
export const APP_JS = `'use strict'
;(() => {
  const main = document.getElementById('main')
  const badge = document.getElementById('live')
  if (!main) return
  const kinds = new Set((main.dataset.live || '').split(',').filter(Boolean))
  let inflight = false
  let dirty = false
  let timer = 0
  let connected = false
  const refresh = async () => {
    if (inflight) {
      dirty = true
      return
    }
    inflight = true
    try {
      const r = await fetch(location.pathname + location.search, {headers: {'X-Fragment': '1'}})
      if (r.ok) {
        main.innerHTML = await r.text()
        document.body.dataset.redraws = String(Number(document.body.dataset.redraws || 0) + 1)
      }
    } catch (e) {
      // The next change redraws again.
    } finally {
      inflight = false
      if (dirty) {
        dirty = false
        schedule()
      }
    }
  }
  // Changes come in bursts (a rollout writes many objects): one redraw per burst.
  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(refresh, 40)
  }
  const setLive = (on) => {
    document.body.dataset.stream = on ? 'open' : 'closed'
    if (badge) {
      badge.textContent = on ? 'live' : 'reconnecting'
      badge.className = on ? 'live on' : 'live'
    }
  }
  const es = new EventSource('/stream')
  es.addEventListener('hello', () => {
    // After a reconnection, whatever changed meanwhile is drawn once.
    if (connected && kinds.size) schedule()
    connected = true
    setLive(true)
  })
  es.addEventListener('error', () => setLive(false))
  es.addEventListener('change', (m) => {
    const d = JSON.parse(m.data)
    if (kinds.has(d.plural)) schedule()
  })
  es.addEventListener('k8s-event', (m) => {
    const body = document.querySelector('#events tbody')
    if (!body) return
    const t = document.createElement('tbody')
    t.innerHTML = JSON.parse(m.data).html
    const row = t.firstElementChild
    if (!row) return
    const old = body.querySelector('tr[data-uid="' + CSS.escape(row.dataset.uid || '') + '"]')
    if (old) old.remove()
    row.classList.add('fresh')
    body.prepend(row)
    while (body.rows.length > 200) body.deleteRow(-1)
  })
  window.addEventListener('beforeunload', () => es.close())
})()
`

/** APP_CSS is /assets/app.css. */
export const APP_CSS = `:root{--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--done:#57606a;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:#fff}
header{display:flex;align-items:center;gap:1.5em;padding:.6em 1.2em;background:#24292f;color:#fff}
header a{color:#d0d7de;text-decoration:none;margin-right:1em}
header a[aria-current]{color:#fff;font-weight:600;border-bottom:2px solid #fff}
.brand{font-weight:700}
.live{margin-left:auto;font-size:12px;color:#d0d7de}
.live.on{color:#4ac26b}
main{padding:1em 1.2em}
h1{font-size:1.4em;margin:.4em 0 .6em}
h2{font-size:1.1em;margin:1.2em 0 .4em}
h3{font-size:1em;margin:.8em 0 .3em;font-weight:500}
small,.empty{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin-bottom:.8em}
th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
a{color:#0969da}
.badge{display:inline-block;padding:0 .5em;border-radius:1em;font-size:12px;font-weight:600;color:#fff}
.badge.ok{background:var(--ok)}.badge.warn{background:var(--warn)}.badge.bad{background:var(--bad)}.badge.done{background:var(--done)}
td.warn,td.bad,p.bad{color:var(--bad)}
.replicaset{margin-left:1.5em}
.deployment{border-top:1px solid var(--line)}
pre{background:var(--bg);padding:1em;overflow:auto;border:1px solid var(--line);border-radius:6px}
tr.fresh{animation:fresh 2s}
@keyframes fresh{from{background:#fff8c5}to{background:transparent}}
.request{display:flex;gap:1.5em;align-items:flex-start}
.targets{list-style:none;padding:0;margin:0;min-width:14em}
.targets a[aria-current]{font-weight:700}
.drawing{overflow:auto}
svg.request-path .box{fill:#fff;stroke-width:2}
svg.request-path .box.ok{stroke:var(--ok)}svg.request-path .box.warn{stroke:var(--warn)}svg.request-path .box.bad{stroke:var(--bad);fill:#ffebe9}
svg.request-path .label{font-size:13px;font-weight:600;fill:var(--fg)}
svg.request-path .detail{font-size:11px;fill:var(--muted)}
svg.request-path .edge{fill:none;stroke:#8c959f;stroke-width:1.5}
svg.request-path .arrowhead{fill:#8c959f}
.task{border-top:1px solid var(--line)}
.tabs a[aria-current]{font-weight:700}
`
