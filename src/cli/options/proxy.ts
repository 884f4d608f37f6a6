// proxy.ts holds `mkctl proxy`'s options (follows kubectl/pkg/cmd/proxy/proxy.go): Complete (prefixes end with `/`,
// the filter's regular expressions), Validate (--unix-socket excludes --port) and RunProxy (listen, print the
// address, serve until the process is stopped).
import {chmodSync, statSync, unlinkSync} from 'node:fs'
import type http from 'node:http'
import type {Factory} from '../client/factory.js'
import {klogHeader} from '../client/klog.js'
import {
  createProxyServer,
  DEFAULT_HOST_ACCEPT_RE,
  DEFAULT_METHOD_REJECT_RE,
  DEFAULT_PATH_ACCEPT_RE,
  DEFAULT_PATH_REJECT_RE,
  makeRegexpArray,
  type ProxyFilter,
} from '../client/proxy-server.js'
import {impersonationHeaders} from '../client/rest.js'
import {FlagParseError, RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {parseDurationFlag} from './scale.js'

/** DEFAULT_PORT is kubectl proxy's default port. */
export const DEFAULT_PORT = 8001

/** ProxyOptions are kubectl's ProxyOptions. */
export class ProxyOptions {
  staticDir = ''
  staticPrefix = '/static/'
  apiPrefix = '/'
  acceptPaths = DEFAULT_PATH_ACCEPT_RE
  rejectPaths = DEFAULT_PATH_REJECT_RE
  acceptHosts = DEFAULT_HOST_ACCEPT_RE
  rejectMethods = DEFAULT_METHOD_REJECT_RE
  portFlag = String(DEFAULT_PORT)
  port = DEFAULT_PORT
  address = '127.0.0.1'
  disableFilter = false
  unixSocket = ''
  keepaliveFlag = '0s'
  keepaliveMs = 0
  appendServerPath = false
  commandPath = 'mkctl proxy'
  filter?: ProxyFilter
  /** server is the listening server once run() has started it (tests close it). */
  server?: http.Server
  now: () => Date = () => new Date()

  constructor(readonly io: IOStreams) {}

  /** parseFlags reads -p and --keepalive as pflag would (their errors are flag parse errors). */
  parseFlags(): void {
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(this.portFlag)
    const n = m ? Number(m[1] === '-' ? -parseInt(m[2]!) : parseInt(m[2]!)) : NaN
    if (!m || !Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63)
      throw new FlagParseError(
        `invalid argument ${JSON.stringify(this.portFlag)} for "-p, --port" flag: strconv.ParseInt: parsing ${JSON.stringify(this.portFlag)}: ${m ? 'value out of range' : 'invalid syntax'}`,
        this.commandPath,
      )
    this.port = n
    this.keepaliveMs = parseDurationFlag(this.keepaliveFlag, 'keepalive', this.commandPath)
  }

  private warn(source: string, msg: string): void {
    this.io.errOut.write(klogHeader('W', this.now(), process.pid, source) + msg + '\n')
  }

  /** complete adds the trailing slashes and compiles the filter (a bad expression is klog.Fatalf: exit 255). */
  complete(): void {
    if (!this.staticPrefix.endsWith('/')) this.staticPrefix += '/'
    if (!this.apiPrefix.endsWith('/')) this.apiPrefix += '/'
    if (this.disableFilter) {
      if (this.unixSocket === '')
        this.warn(
          'proxy.go:177',
          'Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious',
        )
      this.filter = undefined
      return
    }
    const compile = (list: string): RegExp[] => {
      try {
        return makeRegexpArray(list)
      } catch (e) {
        const part = list.split(',').find((p) => !isValidRegExp(p)) ?? list
        const why = /Unterminated group|Unmatched '\('/.test((e as Error).message)
          ? 'missing closing )'
          : /Unmatched '\)'/.test((e as Error).message)
            ? 'unexpected )'
            : 'invalid regular expression'
        this.io.errOut.write(
          klogHeader('F' as 'E', this.now(), process.pid, 'proxy_server.go:83') +
            `Error compiling re: error parsing regexp: ${why}: \`${part}\`\n`,
        )
        throw new RawError('', 255)
      }
    }
    this.filter = {
      acceptPaths: compile(this.acceptPaths),
      rejectPaths: compile(this.rejectPaths),
      acceptHosts: compile(this.acceptHosts),
      rejectMethods: compile(this.rejectMethods),
    }
  }

  /** validate is ProxyOptions.Validate. */
  validate(): void {
    if (this.port !== DEFAULT_PORT && this.unixSocket !== '')
      throw new Error('cannot set --unix-socket and --port at the same time')
    if (this.staticDir !== '') {
      try {
        if (!statSync(this.staticDir).isDirectory())
          this.warn('proxy.go:202', `Static file directory ${this.staticDir} is not a directory`)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code
        this.warn(
          'proxy.go:200',
          `Failed to stat static file directory ${this.staticDir}: stat ${this.staticDir}: ${why}`,
        )
      }
    }
  }

  /** run starts the proxy and prints `Starting to serve on ADDRESS`; it resolves only when the server closes. */
  async run(f: Factory): Promise<void> {
    const rest = await f.restClient()
    const c = rest.config
    const headers: Record<string, string | string[]> = {...impersonationHeaders(c.impersonate)}
    // client-go sends credentials only over TLS (see rest.ts)
    if (rest.base.protocol === 'https:') {
      if (c.token) headers.Authorization = `Bearer ${c.token}`
      else if (c.username)
        headers.Authorization = 'Basic ' + Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')
    }
    const server = createProxyServer({
      upstream: {
        server: c.server,
        caData: c.caData,
        insecure: c.insecure,
        tlsServerName: c.tlsServerName,
        clientCert: c.clientCert,
        clientKey: c.clientKey,
        headers,
      },
      apiPrefix: this.apiPrefix,
      staticDir: this.staticDir || undefined,
      staticPrefix: this.staticPrefix,
      filter: this.filter,
      appendServerPath: this.appendServerPath,
      keepaliveMs: this.keepaliveMs,
      onError: (msg) => f.klog.error('proxy_server.go:145', msg),
    })
    this.server = server
    const where = this.unixSocket === '' ? await this.listenTcp(server) : await this.listenUnix(server)
    this.io.out.write(`Starting to serve on ${where}\n`)
    await new Promise<void>((resolve) => server.on('close', resolve))
  }

  private listenTcp(server: http.Server): Promise<string> {
    const addr = this.address
    if (this.port < 0 || this.port > 65535) throw new Error(`listen tcp: address ${this.port}: invalid port`)
    let host = addr
    if (addr.startsWith('[') && addr.endsWith(']')) host = addr.slice(1, -1)
    else if (addr.includes(':')) throw new Error(`listen tcp: address ${addr}:${this.port}: too many colons in address`)
    // Go listens dual-stack for an empty or unspecified IPv4 address and reports it as [::]
    const dual = host === '' || host === '0.0.0.0'
    const shown = `${addr}:${this.port}`
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`listen tcp ${shown}: ${bindError(e)}`)))
      server.listen({port: this.port, host: dual ? '::' : host === 'localhost' ? '127.0.0.1' : host}, () => {
        const a = server.address()
        if (a === null || typeof a === 'string') return resolve(String(a))
        resolve(a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`)
      })
    })
  }

  private listenUnix(server: http.Server): Promise<string> {
    const path = this.unixSocket
    // a socket left behind (stale or not) is removed; other files make listen fail (ListenUnix)
    try {
      if (statSync(path).isSocket()) unlinkSync(path)
    } catch {
      // nothing there
    }
    const old = process.umask(0o077)
    return new Promise<string>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        process.umask(old)
        reject(new Error(`listen unix ${path}: ${bindError(e)}`))
      })
      server.listen(path, () => {
        process.umask(old)
        try {
          chmodSync(path, 0o600)
        } catch {
          // the umask already made it private
        }
        resolve(path)
      })
    })
  }
}

function isValidRegExp(p: string): boolean {
  try {
    new RegExp(p)
    return true
  } catch {
    return false
  }
}

/** bindError words a listen failure as Go's net.OpError does. */
function bindError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EADDRINUSE':
      return 'bind: address already in use'
    case 'EADDRNOTAVAIL':
      return 'bind: cannot assign requested address'
    case 'EACCES':
      return 'bind: permission denied'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `lookup ${(e as {hostname?: string}).hostname ?? ''}: no such host`
    default:
      return e.message
  }
}
