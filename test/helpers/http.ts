// http.ts is a small HTTPS client for component tests that talk to the daemon directly.
import https from 'node:https'

/** HttpResult is a finished response. */
export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

/** ApiClient sends requests to one daemon. */
export class ApiClient {
  constructor(
    readonly url: string,
    readonly ca: string,
    readonly token: string | undefined,
  ) {}

  request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const u = new URL(path, this.url)
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    const h: Record<string, string> = {Accept: 'application/json', ...headers}
    if (payload && !h['Content-Type']) h['Content-Type'] = 'application/json'
    if (payload) h['Content-Length'] = String(payload.length)
    if (this.token) h.Authorization = `Bearer ${this.token}`
    return new Promise((resolve, reject) => {
      const req = https.request(
        {host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, ca: this.ca},
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let json: any
            try {
              json = JSON.parse(text)
            } catch {
              json = undefined
            }
            resolve({status: res.statusCode ?? 0, headers: res.headers, text, json})
          })
        },
      )
      req.on('error', reject)
      if (payload) req.write(payload)
      req.end()
    })
  }

  /** watch opens a watch and collects events until `until` returns true or the stream ends. */
  watch(path: string, onEvent: (e: any) => boolean, headers: Record<string, string> = {}): Promise<{status: number; events: any[]}> {
    const u = new URL(path, this.url)
    const h: Record<string, string> = {Accept: 'application/json', ...headers}
    if (this.token) h.Authorization = `Bearer ${this.token}`
    return new Promise((resolve, reject) => {
      const events: any[] = []
      const req = https.request({host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers: h, ca: this.ca}, (res) => {
        let buf = ''
        res.on('data', (c) => {
          buf += c
          let i
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i)
            buf = buf.slice(i + 1)
            if (!line.trim()) continue
            const e = JSON.parse(line)
            events.push(e)
            if (onEvent(e)) {
              req.destroy()
              resolve({status: res.statusCode ?? 0, events})
              return
            }
          }
        })
        res.on('end', () => resolve({status: res.statusCode ?? 0, events}))
      })
      req.on('error', (e) => {
        if ((e as any).code === 'ECONNRESET') resolve({status: 200, events})
        else reject(e)
      })
      req.end()
    })
  }
}
