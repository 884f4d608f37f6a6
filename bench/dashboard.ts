// dashboard.ts measures the web dashboard in a real browser (playwright-core + Debian's chromium): first paint, the
// time from navigating to the ticket URL until the nodes table is visible (the login redirect, the server-rendered
// page, the script and style), and the event stream's lag, from a store write (an Event created through the API)
// to its row in the events table (store watch → Server-Sent Events → DOM), measured on one wall clock shared by
// node and the browser. Both are medians and p90s over `runs`. Returns undefined, with the reason, without a browser.
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {chromium} from 'playwright-core'
import {startDashboardFixture} from '../test/daemon/dashboard/fixture.js'

/** DashboardBench is the result. */
export interface DashboardBench {
  firstPaintMs: {median: number; p90: number}
  streamLagMs: {median: number; p90: number}
  runs: number
}

function stats(xs: number[]): {median: number; p90: number} {
  const s = [...xs].sort((a, b) => a - b)
  return {median: s[Math.floor(s.length / 2)]!, p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]!}
}

/** dashboardBench runs the measures; `runs` logins and `runs` events (default 10). */
export async function dashboardBench(runs = 10): Promise<DashboardBench | {skipped: string}> {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!existsSync(path)) return {skipped: `${path} is missing (node scripts/ensure-chromium.mjs installs it)`}
  const f = await startDashboardFixture()
  const browser = await chromium.launch({executablePath: path, args: ['--no-sandbox', '--disable-gpu']})
  try {
    const paints: number[] = []
    for (let i = 0; i < runs; i++) {
      // A new context each time: no cookie, no cache, as a first visit.
      const ctx = await browser.newContext()
      const page = await ctx.newPage()
      const tk = await f.ticket()
      const t0 = performance.now()
      await page.goto(tk.loginURL)
      await page.waitForSelector('#nodes tr[data-node]', {state: 'visible', timeout: 30_000})
      paints.push(performance.now() - t0)
      await ctx.close()
    }
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    const tk = await f.ticket()
    await page.goto(tk.loginURL)
    await page.goto(`${tk.url}events`)
    await page.waitForSelector('body[data-stream="open"]', {timeout: 30_000})
    const lags: number[] = []
    for (let i = 0; i < runs; i++) {
      const reason = `BenchLag${i}`
      // The browser notes the wall-clock time the row lands; node notes the time just before the write.
      const landed = page.evaluate(
        (r) =>
          new Promise<number>((resolve) => {
            const g = globalThis as any
            const body = g.document.querySelector('#events tbody')
            const obs = new g.MutationObserver(() => {
              if (body.textContent.includes(r)) {
                obs.disconnect()
                resolve(Date.now())
              }
            })
            obs.observe(body, {childList: true})
          }),
        reason,
      )
      // Let the observer attach before the write.
      await page.evaluate(() => 0)
      const t0 = Date.now()
      await f.api.request('POST', '/api/v1/namespaces/default/events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {name: `bench-${i}`},
        involvedObject: {kind: 'Pod', name: 'web', namespace: 'default'},
        reason,
        message: 'bench',
        type: 'Normal',
      })
      lags.push((await landed) - t0)
    }
    return {firstPaintMs: stats(paints), streamLagMs: stats(lags), runs}
  } finally {
    await browser.close()
    await f.t.stop()
  }
}

// `node --import tsx bench/dashboard.ts` runs it alone.
if (process.argv[1] && join(process.argv[1]) === join(import.meta.dirname, 'dashboard.ts')) {
  console.log(JSON.stringify(await dashboardBench(), null, 2))
}
