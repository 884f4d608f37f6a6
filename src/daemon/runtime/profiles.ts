// profiles.ts: what the catalog's images *do*. Each profile supplies the image's own executables (nginx,
// redis-server, docker-entrypoint.sh, ...) as simulated programs: their startup logs in each server's own format,
// the ports they listen on, their HTTP answers, their resident memory and how they react to SIGTERM. Startup
// wording follows the official images' entrypoint scripts and the servers' real first lines.
import type {Behavior, HttpAnswer} from './catalog-types.js'
import {
  accessLogLine,
  apacheTime,
  clfTime,
  goTime,
  isoMicro,
  isoMilli,
  isoNano,
  klogHeader,
  micros,
  pgTime,
  redisTime,
} from './logfmt.js'
import {UTILS, readFile, shellProgram, strftime} from './shell/utils.js'
import {
  err,
  out,
  resolvePath,
  sleep,
  type Exec,
  type Gen,
  type HttpRequest,
  type HttpResponse,
  type Listener,
  type Program,
  type TermHandler,
} from './shell/types.js'

const MiB = 1024 * 1024

/** Profile is the behaviour of a family of images. */
export interface Profile {
  programs: Record<string, Program>
  /** main runs for the image's own default executable when no program of that name exists (lab images). */
  main?: Program
  /** files adds image files (path → content) for a version. */
  files?: (version: string) => Record<string, string>
  /** shell says whether the image has a userland (sh and coreutils) even if its os would not. */
  shell?: boolean
}

// ---- helpers -----------------------------------------------------------------------------------------------

function* say(x: Exec, fd: 1 | 2, ...texts: string[]): Gen<void> {
  const text = texts.map((t) => t + '\n').join('')
  yield* fd === 1 ? out(x, text) : err(x, text)
}

/** delay passes time only in realistic timing (servers' start-up work). */
function* delay(x: Exec, ms: number): Gen<void> {
  if (x.proc.realistic) yield* sleep(ms)
}

/** serve claims memory, opens the listeners, installs the SIGTERM handler and runs until killed. */
function* serve(x: Exec, memMiB: number, listeners: Listener[], term?: TermHandler): Gen<number> {
  yield* x.proc.useMemory(memMiB * MiB)
  for (const l of listeners) x.proc.listen(l)
  if (term) x.proc.onTerm = term
  yield* sleep(Infinity)
  return 0
}

/** exec replaces the current program with argv (the `exec "$@"` at the end of every entrypoint script). */
function* execArgs(x: Exec, argv: string[]): Gen<number> {
  if (argv.length === 0) return 0
  const prog = x.proc.lookup(argv[0])
  if (!prog) {
    yield* err(x, `${x.argv[0]}: line 1: exec: ${argv[0]}: not found\n`)
    return 127
  }
  return yield* prog({...x, argv})
}

const text = (status: number, body: string, type = 'text/plain; charset=utf-8'): HttpResponse => ({
  status,
  body,
  headers: {'Content-Type': type},
})

function flag(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === `-${name}` || a === `--${name}`) return argv[i + 1] ?? ''
    for (const p of [`-${name}=`, `--${name}=`]) if (a.startsWith(p)) return a.slice(p.length)
  }
  return undefined
}

const major = (v: string) => v.split('.')[0]
const atLeast = (v: string, want: number[]) => {
  const parts = v.split(/[.+-]/).map((n) => Number.parseInt(n, 10) || 0)
  for (let i = 0; i < want.length; i++) if ((parts[i] ?? 0) !== want[i]) return (parts[i] ?? 0) > want[i]
  return true
}

/** staticFiles answers GET from the container's files under root (index.html for directories). */
function staticFile(x: Exec, root: string, path: string): string | undefined {
  const clean = path.split('?')[0]
  const p = resolvePath('/', clean)
  const file = x.proc.files.get(root + p) ?? x.proc.files.get(`${root}${p === '/' ? '' : p}/index.html`)
  return file
}

function probeLine(req: HttpRequest): boolean {
  return (req.headers?.['User-Agent'] ?? req.headers?.['user-agent'] ?? '').startsWith('kube-probe/')
}

// ---- nginx -------------------------------------------------------------------------------------------------

/** NGINX_WELCOME is nginx's default index.html. */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

const nginxError = (status: number, version: string, title: string) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`

function nginxHandler(x: Exec, serverName = 'localhost'): (req: HttpRequest, now: number) => HttpResponse {
  return (req, now) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return text(405, nginxError(405, x.proc.version, 'Not Allowed'), 'text/html')
    const file = staticFile(x, '/usr/share/nginx/html', req.path)
    if (file !== undefined) return text(200, file, 'text/html')
    const path = req.path.split('?')[0]
    // nginx logs a missing file to its error log before answering 404.
    pendingErrors.set(
      x.proc,
      `${goTime(now)} [error] 29#29: *${Math.floor(now) % 1000} open() "/usr/share/nginx/html${path}" failed (2: No such file or directory), client: ${req.clientIP ?? '127.0.0.1'}, server: ${serverName}, request: "${req.method} ${req.path} HTTP/1.1", host: "${req.host ?? x.proc.podIP}"`,
    )
    return text(404, nginxError(404, x.proc.version, 'Not Found'), 'text/html')
  }
}

const pendingErrors = new WeakMap<object, string>()

function* nginxServer(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  const v = x.proc.version
  if (args.includes('-v') || args.includes('-V')) {
    yield* say(x, 2, `nginx version: nginx/${v}`)
    return 0
  }
  if (args.includes('-t') || args.includes('-T')) {
    yield* say(
      x,
      2,
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
      'nginx: configuration file /etc/nginx/nginx.conf test is successful',
    )
    return 0
  }
  if (args.includes('-s')) {
    yield* say(x, 2, `nginx: [error] invalid PID number "" in "/run/nginx.pid"`)
    return 1
  }
  const daemonOff = args.some((a) => /daemon\s+off/.test(a))
  // Without `daemon off;` nginx forks into the background and the container's main process exits at once.
  if (!daemonOff) return 0
  const now = () => goTime(x.proc.now())
  const alpine = x.proc.flavor === 'ash'
  const gcc = alpine
    ? 'gcc 14.2.0 (Alpine 14.2.0) '
    : atLeast(v, [1, 25])
      ? 'gcc 12.2.0 (Debian 12.2.0-14+deb12u1) '
      : 'gcc 10.2.1 20210110 (Debian 10.2.1-6) '
  yield* say(
    x,
    2,
    `${now()} [notice] 1#1: using the "epoll" event method`,
    `${now()} [notice] 1#1: nginx/${v}`,
    `${now()} [notice] 1#1: built by ${gcc}`,
    `${now()} [notice] 1#1: OS: Linux 6.1.0-mkctl`,
    `${now()} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${now()} [notice] 1#1: start worker processes`,
    `${now()} [notice] 1#1: start worker process 29`,
    `${now()} [notice] 1#1: start worker process 30`,
  )
  const port = x.proc.ports[0] ?? 80
  const handler = nginxHandler(x)
  const listener: Listener = {
    port,
    protocol: 'http',
    http: handler,
    accessLog: (req, res, at) => {
      const e = pendingErrors.get(x.proc)
      pendingErrors.delete(x.proc)
      const access = {fd: 1 as const, text: accessLogLine('nginx', req, res, at)}
      return e && res.status === 404 ? [{fd: 2 as const, text: e}, access] : access
    },
  }
  // The nginx image stops with SIGQUIT: a graceful shutdown that exits 0.
  const term: TermHandler = {
    code: 0,
    afterMs: 50,
    lines: (at) =>
      [
        `${goTime(at)} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`,
        `${goTime(at)} [notice] 29#29: gracefully shutting down`,
        `${goTime(at)} [notice] 29#29: exiting`,
        `${goTime(at)} [notice] 29#29: exit`,
        `${goTime(at)} [notice] 1#1: signal 17 (SIGCHLD) received from 29`,
        `${goTime(at)} [notice] 1#1: worker process 29 exited with code 0`,
        `${goTime(at)} [notice] 1#1: exit`,
      ].map((t) => ({fd: 2 as const, text: t})),
  }
  return yield* serve(x, 8, [listener], term)
}

function* nginxEntrypoint(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  if ((args[0] === 'nginx' || args[0] === 'nginx-debug') && !x.env.get('NGINX_ENTRYPOINT_QUIET_LOGS')) {
    const e = '/docker-entrypoint.sh'
    yield* say(
      x,
      1,
      `${e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
      `${e}: Looking for shell scripts in /docker-entrypoint.d/`,
      `${e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      ...(atLeast(x.proc.version, [1, 25]) ? [`${e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`] : []),
      `${e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
      `${e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
      `${e}: Configuration complete; ready for start up`,
    )
  }
  return yield* execArgs(x, args)
}

// ---- Apache httpd (and the PHP/WordPress apache images) -----------------------------------------------------------

function apacheStart(x: Exec, mpm: string, server: string, cmdline: string): string[] {
  const t = apacheTime(x.proc.now())
  const tid = 140_000_000_000_000 + Math.floor(x.proc.random() * 1e12)
  const fqdn = `AH00558: ${cmdline.split(' ')[0]}: Could not reliably determine the server's fully qualified domain name, using ${x.proc.podIP}. Set the 'ServerName' directive globally to suppress this message`
  return [
    fqdn,
    fqdn,
    `[${t}] [${mpm}:notice] [pid 1:tid ${tid}] ${mpm === 'mpm_prefork' ? 'AH00163' : 'AH00489'}: ${server} configured -- resuming normal operations`,
    `[${t}] [core:notice] [pid 1:tid ${tid}] AH00094: Command line: '${cmdline}'`,
  ]
}

function* httpdServer(x: Exec): Gen<number> {
  if (x.argv.includes('-v')) {
    yield* say(x, 1, `Server version: Apache/${x.proc.version} (Unix)`, 'Server built:   Jul 10 2025 00:00:00')
    return 0
  }
  yield* say(x, 2, ...apacheStart(x, 'mpm_event', `Apache/${x.proc.version} (Unix)`, 'httpd -D FOREGROUND'))
  const listener: Listener = {
    port: x.proc.ports[0] ?? 80,
    protocol: 'http',
    http: (req) => {
      const f = staticFile(x, '/usr/local/apache2/htdocs', req.path)
      return f !== undefined
        ? text(200, f, 'text/html')
        : text(
            404,
            `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`,
            'text/html',
          )
    },
    accessLog: (req, res, at) => ({fd: 1, text: accessLogLine('common', req, res, at)}),
  }
  const term: TermHandler = {
    code: 0,
    afterMs: 50,
    lines: (at) => [
      {
        fd: 2,
        text: `[${apacheTime(at)}] [mpm_event:notice] [pid 1:tid 140000000000000] AH00492: caught SIGWINCH, shutting down gracefully`,
      },
    ],
  }
  return yield* serve(x, 10, [listener], term)
}

function* apacheForeground(x: Exec, wordpress: boolean): Gen<number> {
  const php = wordpress ? '8.3.27' : x.proc.version
  yield* say(x, 2, ...apacheStart(x, 'mpm_prefork', `Apache/2.4.65 (Debian) PHP/${php}`, 'apache2 -D FOREGROUND'))
  const listener: Listener = {
    port: 80,
    protocol: 'http',
    http: (req) => {
      if (wordpress) {
        if (req.path === '/' || req.path.startsWith('/index.php'))
          return {status: 302, headers: {Location: `http://${req.host ?? x.proc.podIP}/wp-admin/install.php`}, body: ''}
        if (req.path.startsWith('/wp-admin/install.php') || req.path.startsWith('/wp-login.php'))
          return text(
            200,
            '<!DOCTYPE html>\n<html lang="en-US">\n<head><title>WordPress &rsaquo; Installation</title></head>\n<body class="wp-core-ui">…</body>\n</html>\n',
            'text/html',
          )
      }
      const f =
        staticFile(x, '/var/www/html', req.path) ??
        staticFile(x, '/var/www/html', req.path.replace(/\/?$/, '/index.php'))
      if (f !== undefined) return text(200, f, 'text/html')
      const forbidden = req.path === '/' && !wordpress
      return forbidden
        ? text(
            403,
            `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>403 Forbidden</title>\n</head><body>\n<h1>Forbidden</h1>\n<p>You don't have permission to access this resource.</p>\n<hr>\n<address>Apache/2.4.65 (Debian) Server at ${req.host ?? x.proc.podIP} Port 80</address>\n</body></html>\n`,
            'text/html',
          )
        : text(
            404,
            `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`,
            'text/html',
          )
    },
    accessLog: (req, res, at) => ({fd: 1, text: `${x.proc.podIP}:80 ${accessLogLine('combined', req, res, at)}`}),
  }
  const term: TermHandler = {
    code: 0,
    afterMs: 50,
    lines: (at) => [
      {
        fd: 2,
        text: `[${apacheTime(at)}] [mpm_prefork:notice] [pid 1:tid 140000000000000] AH00170: caught SIGWINCH, shutting down gracefully`,
      },
    ],
  }
  return yield* serve(x, wordpress ? 40 : 20, [listener], term)
}

// ---- Redis ------------------------------------------------------------------------------------------------------

function* redisServer(x: Exec): Gen<number> {
  const v = x.proc.version
  if (x.argv.includes('--version') || x.argv.includes('-v')) {
    yield* say(x, 1, `Redis server v=${v} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1f2a4ec5e6c3d8b1`)
    return 0
  }
  const port = Number(flag(x.argv, 'port') ?? 6379)
  const t = () => redisTime(x.proc.now())
  const config = x.argv.slice(1).find((a) => !a.startsWith('-') && a.endsWith('.conf'))
  yield* say(
    x,
    1,
    `1:C ${t()} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`,
    `1:C ${t()} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
    `1:C ${t()} * Redis version=${v}, bits=64, commit=00000000, modified=${atLeast(v, [8]) ? 1 : 0}, pid=1, just started`,
    config
      ? `1:C ${t()} * Configuration loaded`
      : `1:C ${t()} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
    `1:M ${t()} * monotonic clock: POSIX clock_gettime`,
    `1:M ${t()} * Running mode=standalone, port=${port}.`,
    `1:M ${t()} * Server initialized`,
    atLeast(v, [7]) ? `1:M ${t()} * Ready to accept connections tcp` : `1:M ${t()} * Ready to accept connections`,
  )
  const term: TermHandler = {
    code: 0,
    afterMs: 20,
    lines: (at) =>
      [
        `1:signal-handler (${Math.floor(at / 1000)}) Received SIGTERM scheduling shutdown...`,
        `1:M ${redisTime(at)} * User requested shutdown...`,
        `1:M ${redisTime(at)} * Saving the final RDB snapshot before exiting.`,
        `1:M ${redisTime(at)} * DB saved on disk`,
        `1:M ${redisTime(at)} # Redis is now ready to exit, bye bye...`,
      ].map((t2) => ({fd: 1 as const, text: t2})),
  }
  return yield* serve(x, 8, [{port, protocol: 'tcp'}], term)
}

function* redisCli(x: Exec): Gen<number> {
  const port = Number(flag(x.argv, 'p') ?? 6379)
  const cmd = x.argv
    .slice(1)
    .filter((a, i, all) => !a.startsWith('-') && !['-p', '-h', '-a'].includes(all[i - 1] ?? ''))
  if (!x.proc.listeners.has(port)) {
    yield* say(x, 2, `Could not connect to Redis at 127.0.0.1:${port}: Connection refused`)
    return 1
  }
  const c = (cmd[0] ?? '').toLowerCase()
  yield* say(
    x,
    1,
    c === 'ping'
      ? 'PONG'
      : c === 'set'
        ? 'OK'
        : c === 'get'
          ? ''
          : c === 'info'
            ? `# Server\r\nredis_version:${x.proc.version}`
            : c === 'dbsize'
              ? '(integer) 0'
              : 'OK',
  )
  return 0
}

function* redisEntrypoint(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  if (args[0]?.startsWith('-') || args[0]?.endsWith('.conf')) args = ['redis-server', ...args]
  return yield* execArgs(x, args)
}

// ---- PostgreSQL -------------------------------------------------------------------------------------------------

function* postgresEntrypoint(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  if (args[0]?.startsWith('-')) args = ['postgres', ...args]
  if (args[0] !== 'postgres') return yield* execArgs(x, args)
  const pw = x.env.get('POSTGRES_PASSWORD')
  const trust = x.env.get('POSTGRES_HOST_AUTH_METHOD') === 'trust'
  if (!pw && !trust) {
    yield* say(
      x,
      2,
      'Error: Database is uninitialized and superuser password is not specified.',
      '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
      '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
      '',
      '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
      '       connections without a password. This is *not* recommended.',
      '',
      '       See PostgreSQL documentation about "trust":',
      '       https://www.postgresql.org/docs/current/auth-trust.html',
    )
    return 1
  }
  const data = x.env.get('PGDATA') ?? '/var/lib/postgresql/data'
  yield* say(
    x,
    1,
    'The files belonging to this database system will be owned by user "postgres".',
    'This user must also own the server process.',
    '',
    'The database cluster will be initialized with locale "en_US.utf8".',
    'The default database encoding has accordingly been set to "UTF8".',
    'The default text search configuration will be set to "english".',
    '',
    'Data page checksums are disabled.',
    '',
    `fixing permissions on existing directory ${data} ... ok`,
    'creating subdirectories ... ok',
    'selecting dynamic shared memory implementation ... posix',
    'selecting default max_connections ... 100',
    'selecting default shared_buffers ... 128MB',
    'selecting default time zone ... Etc/UTC',
    'creating configuration files ... ok',
  )
  yield* delay(x, 800)
  yield* say(
    x,
    1,
    'running bootstrap script ... ok',
    'performing post-bootstrap initialization ... ok',
    'syncing data to disk ... ok',
    '',
    '',
    'Success. You can now start the database server using:',
    '',
    `    pg_ctl -D ${data} -l logfile start`,
    '',
  )
  yield* say(
    x,
    2,
    'initdb: warning: enabling "trust" authentication for local connections',
    'initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.',
  )
  const t = () => pgTime(x.proc.now())
  yield* say(x, 1, `waiting for server to start....${t()} [48] LOG:  starting ${pgBanner(x.proc.version)}`)
  yield* say(
    x,
    2,
    `${t()} [48] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
    `${t()} [51] LOG:  database system was shut down at ${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())} UTC`,
    `${t()} [48] LOG:  database system is ready to accept connections`,
  )
  yield* say(
    x,
    1,
    ' done',
    'server started',
    x.env.get('POSTGRES_DB') ? `CREATE DATABASE` : '',
    '',
    '/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*',
    '',
  )
  yield* delay(x, 400)
  yield* say(x, 1, `waiting for server to shut down....${t()} [48] LOG:  received fast shutdown request`)
  yield* say(
    x,
    2,
    `${t()} [48] LOG:  aborting any active transactions`,
    `${t()} [48] LOG:  background worker "logical replication launcher" (PID 54) exited with exit code 1`,
    `${t()} [49] LOG:  shutting down`,
    `${t()} [48] LOG:  database system is shut down`,
  )
  yield* say(x, 1, ' done', 'server stopped', '', 'PostgreSQL init process complete; ready for start up.', '')
  return yield* execArgs(x, args)
}

function pgBanner(v: string): string {
  const m = major(v)
  const gcc = Number(m) >= 18 ? 'gcc (Debian 14.2.0-19) 14.2.0' : 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0'
  return `PostgreSQL ${v} (Debian ${v}-1.pgdg${Number(m) >= 18 ? '13' : '120'}+1) on x86_64-pc-linux-gnu, compiled by ${gcc}, 64-bit`
}

function* postgresServer(x: Exec): Gen<number> {
  if (x.argv.includes('--version') || x.argv.includes('-V')) {
    yield* say(x, 1, `postgres (PostgreSQL) ${x.proc.version} (Debian ${x.proc.version}-1.pgdg13+1)`)
    return 0
  }
  const port = Number(flag(x.argv, 'p') ?? 5432)
  const t = () => pgTime(x.proc.now())
  yield* say(
    x,
    2,
    `${t()} [1] LOG:  starting ${pgBanner(x.proc.version)}`,
    `${t()} [1] LOG:  listening on IPv4 address "0.0.0.0", port ${port}`,
    `${t()} [1] LOG:  listening on IPv6 address "::", port ${port}`,
    `${t()} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.${port}"`,
    `${t()} [64] LOG:  database system was shut down at ${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())} UTC`,
  )
  yield* delay(x, 300)
  yield* say(x, 2, `${t()} [1] LOG:  database system is ready to accept connections`)
  const term: TermHandler = {
    code: 0,
    afterMs: 100,
    lines: (at) =>
      [
        `received smart shutdown request`,
        `background worker "logical replication launcher" (PID 67) exited with exit code 1`,
        `shutting down`,
        `database system is shut down`,
      ].map((m, i) => ({
        fd: 2 as const,
        text: `${pgTime(at)} [${i === 2 ? 62 : 1}] LOG:  ${m}`,
      })),
  }
  return yield* serve(x, 40, [{port, protocol: 'tcp'}], term)
}

function* pgIsready(x: Exec): Gen<number> {
  const port = Number(flag(x.argv, 'p') ?? 5432)
  const host = flag(x.argv, 'h') ?? '/var/run/postgresql'
  const ok = x.proc.listeners.has(port)
  yield* say(x, 1, `${host}:${port} - ${ok ? 'accepting connections' : 'no response'}`)
  return ok ? 0 : 2
}

// ---- MySQL / MariaDB ------------------------------------------------------------------------------------------

function* mysqlEntrypoint(x: Exec, maria: boolean): Gen<number> {
  let args = x.argv.slice(1)
  const server = maria ? 'mariadbd' : 'mysqld'
  if (args[0]?.startsWith('-')) args = [server, ...args]
  if (args[0] !== server && args[0] !== 'mysqld') return yield* execArgs(x, args)
  const v = x.proc.version
  const pkg = maria ? `MariaDB Server 1:${v}+maria~ubu2404` : `MySQL Server ${v}-1.el9`
  const t = () => `${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())}+00:00`
  yield* say(
    x,
    1,
    `${t()} [Note] [Entrypoint]: Entrypoint script for ${pkg} started.`,
    `${t()} [Note] [Entrypoint]: Switching to dedicated user 'mysql'`,
    `${t()} [Note] [Entrypoint]: Entrypoint script for ${pkg} started.`,
  )
  const has = (...names: string[]) => names.some((n) => x.env.get(n))
  const ok = maria
    ? has(
        'MARIADB_ROOT_PASSWORD',
        'MARIADB_ROOT_PASSWORD_HASH',
        'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
        'MARIADB_RANDOM_ROOT_PASSWORD',
        'MYSQL_ROOT_PASSWORD',
        'MYSQL_ALLOW_EMPTY_PASSWORD',
        'MYSQL_RANDOM_ROOT_PASSWORD',
      )
    : has('MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD')
  if (!ok) {
    if (maria) {
      yield* say(
        x,
        2,
        `${t()} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
        '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
      )
    } else {
      yield* say(
        x,
        2,
        `${t()} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
        '    You need to specify one of the following as an environment variable:',
        '    - MYSQL_ROOT_PASSWORD',
        '    - MYSQL_ALLOW_EMPTY_PASSWORD',
        '    - MYSQL_RANDOM_ROOT_PASSWORD',
      )
    }
    return 1
  }
  // Initialising the data directory is when MySQL needs most of its memory.
  yield* x.proc.useMemory((maria ? 90 : 360) * MiB)
  yield* say(x, 1, `${t()} [Note] [Entrypoint]: Initializing database files`)
  yield* delay(x, maria ? 2500 : 8000)
  yield* say(
    x,
    1,
    `${t()} [Note] [Entrypoint]: Database files initialized`,
    `${t()} [Note] [Entrypoint]: Starting temporary server`,
  )
  yield* delay(x, 1500)
  yield* say(x, 1, `${t()} [Note] [Entrypoint]: Temporary server started.`)
  if (x.env.get(maria ? 'MARIADB_DATABASE' : 'MYSQL_DATABASE') ?? x.env.get('MYSQL_DATABASE'))
    yield* say(
      x,
      1,
      `${t()} [Note] [Entrypoint]: Creating database ${x.env.get(maria ? 'MARIADB_DATABASE' : 'MYSQL_DATABASE') ?? x.env.get('MYSQL_DATABASE')}`,
    )
  yield* say(
    x,
    1,
    '',
    `${t()} [Note] [Entrypoint]: Stopping temporary server`,
    `${t()} [Note] [Entrypoint]: Temporary server stopped`,
    '',
    `${t()} [Note] [Entrypoint]: ${maria ? 'MariaDB' : 'MySQL'} init process done. Ready for start up.`,
    '',
  )
  x.proc.onTerm = undefined
  return yield* execArgs(x, args)
}

function* mysqld(x: Exec): Gen<number> {
  const v = x.proc.version
  const t = () => isoMicro(x.proc.now())
  yield* say(
    x,
    2,
    `${t()} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld ${v}) starting as process 1`,
    `${t()} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.`,
  )
  yield* delay(x, 1200)
  yield* say(
    x,
    2,
    `${t()} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.`,
    `${t()} 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.`,
    `${t()} 0 [System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock`,
    `${t()} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${v}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
  )
  const term: TermHandler = {
    code: 0,
    afterMs: 1000,
    lines: (at) => [
      {
        fd: 2,
        text: `${isoMicro(at)} 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld ${v})  MySQL Community Server - GPL.`,
      },
    ],
  }
  return yield* serve(
    x,
    360,
    [
      {port: 3306, protocol: 'tcp'},
      {port: 33060, protocol: 'tcp'},
    ],
    term,
  )
}

function* mariadbd(x: Exec): Gen<number> {
  const v = x.proc.version
  const t = () =>
    strftime('%Y-%m-%d %k:%M:%S', x.proc.now()).replace(
      '%k',
      String(new Date(x.proc.now()).getUTCHours()).padStart(2, ' '),
    )
  yield* say(
    x,
    2,
    `${t()} 0 [Note] Starting MariaDB ${v}-MariaDB-ubu2404 source revision 0000000000000000000000000000000000000000 server_uid 00000000000000000000000000= as process 1`,
    `${t()} 0 [Note] InnoDB: Buffer pool(s) load completed at ${strftime('%y%m%d %H:%M:%S', x.proc.now())}`,
  )
  yield* delay(x, 600)
  yield* say(
    x,
    2,
    `${t()} 0 [Note] mariadbd: ready for connections.`,
    `Version: '${v}-MariaDB-ubu2404'  socket: '/run/mysqld/mysqld.sock'  port: 3306  mariadb.org binary distribution`,
  )
  return yield* serve(x, 90, [{port: 3306, protocol: 'tcp'}], {
    code: 0,
    afterMs: 500,
    lines: (at) => [{fd: 2, text: `${strftime('%Y-%m-%d %H:%M:%S', at)} 0 [Note] mariadbd: Shutdown complete`}],
  })
}

function* mysqladmin(x: Exec): Gen<number> {
  if (x.proc.listeners.has(3306)) {
    yield* say(x, 1, 'mysqld is alive')
    return 0
  }
  yield* say(
    x,
    2,
    "mysqladmin: connect to server at 'localhost' failed",
    "error: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'",
    "Check that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!",
  )
  return 1
}

// ---- MongoDB, memcached, RabbitMQ -------------------------------------------------------------------------------

function mongoLine(at: number, c: string, id: number, ctx: string, msg: string, attr?: object): string {
  return `{"t":{"$date":"${isoMilli(at).replace('Z', '+00:00')}"},"s":"I",  "c":"${c}",${' '.repeat(Math.max(1, 9 - c.length))}"id":${id},${' '.repeat(Math.max(1, 8 - String(id).length))}"ctx":"${ctx}","msg":"${msg}"${attr ? `,"attr":${JSON.stringify(attr)}` : ''}}`
}

function* mongod(x: Exec): Gen<number> {
  const t = () => x.proc.now()
  let args = x.argv.slice(1)
  if (x.argv[0].endsWith('docker-entrypoint.sh')) {
    if (args[0]?.startsWith('-')) args = ['mongod', ...args]
    if (args[0] !== 'mongod') return yield* execArgs(x, args)
  }
  yield* say(
    x,
    1,
    mongoLine(
      t(),
      'CONTROL',
      23285,
      'main',
      "Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols 'none'",
    ),
    mongoLine(t(), 'NETWORK', 4915701, 'main', 'Initialized wire specification', {
      spec: {incomingExternalClient: {minWireVersion: 0, maxWireVersion: 25}},
    }),
    mongoLine(t(), 'CONTROL', 4615611, 'initandlisten', 'MongoDB starting', {
      pid: 1,
      port: 27017,
      dbPath: '/data/db',
      architecture: '64-bit',
      host: x.proc.hostname,
    }),
    mongoLine(t(), 'CONTROL', 23403, 'initandlisten', 'Build Info', {
      buildInfo: {
        version: x.proc.version,
        gitVersion: '0000000000000000000000000000000000000000',
        openSSLVersion: 'OpenSSL 3.0.13 30 Jan 2024',
        modules: [],
        allocator: 'tcmalloc-google',
        environment: {distmod: 'ubuntu2404', distarch: 'x86_64', target_arch: 'x86_64'},
      },
    }),
  )
  yield* delay(x, 1500)
  yield* say(
    x,
    1,
    mongoLine(t(), 'NETWORK', 23015, 'listener', 'Listening on', {address: '0.0.0.0'}),
    mongoLine(t(), 'NETWORK', 23016, 'listener', 'Waiting for connections', {port: 27017, ssl: 'off'}),
  )
  return yield* serve(x, 150, [{port: 27017, protocol: 'tcp'}], {
    code: 0,
    afterMs: 300,
    lines: (at) => [{fd: 1, text: mongoLine(at, 'CONTROL', 23138, 'SignalHandler', 'Shutting down', {exitCode: 0})}],
  })
}

function* mongosh(x: Exec): Gen<number> {
  if (!x.proc.listeners.has(27017)) {
    yield* say(x, 2, 'MongoNetworkError: connect ECONNREFUSED 127.0.0.1:27017')
    return 1
  }
  yield* say(x, 1, '{ ok: 1 }')
  return 0
}

function* memcached(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  if (x.argv[0].endsWith('docker-entrypoint.sh')) {
    if (args[0]?.startsWith('-')) args = ['memcached', ...args]
    if (args[0] !== 'memcached') return yield* execArgs(x, args)
    args = args.slice(1)
  }
  if (args.includes('-V')) {
    yield* say(x, 1, `memcached ${x.proc.version}`)
    return 0
  }
  return yield* serve(x, 4, [{port: Number(flag(['', ...args], 'p') ?? 11211), protocol: 'tcp'}], {
    code: 0,
    afterMs: 10,
    lines: () => [{fd: 2, text: 'Signal handled: Terminated.'}],
  })
}

function* rabbitmq(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  if (x.argv[0].endsWith('docker-entrypoint.sh')) {
    if (args[0] !== 'rabbitmq-server') return yield* execArgs(x, args)
  }
  const t = () => `${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())}.${micros(x.proc.now())}+00:00`
  const mgmt = x.proc.ports.includes(15672)
  yield* say(
    x,
    1,
    `${t()} [notice] <0.44.0> Application syslog exited with reason: stopped`,
    `${t()} [info] <0.254.0> `,
    `${t()} [info] <0.254.0>  Starting RabbitMQ ${x.proc.version} on Erlang 27.3.4 [jit]`,
    `${t()} [info] <0.254.0>  Copyright (c) 2007-2025 Broadcom Inc and/or its subsidiaries`,
    `${t()} [info] <0.254.0>  Licensed under the MPL 2.0. Website: https://rabbitmq.com`,
    '',
    '  ##  ##      RabbitMQ ' + x.proc.version,
    '  ##  ##',
    '  ##########  Copyright (c) 2007-2025 Broadcom Inc and/or its subsidiaries',
    '  ######  ##',
    '  ##########  Licensed under the MPL 2.0. Website: https://rabbitmq.com',
    '',
    '  Erlang:      27.3.4 [jit]',
    '  TLS Library: OpenSSL - OpenSSL 3.3.4 1 Jul 2025',
    '',
    '  Doc guides:  https://www.rabbitmq.com/docs',
    '',
    '  Logs: <stdout>',
    '',
    '  Config file(s): /etc/rabbitmq/conf.d/10-defaults.conf',
    '',
    '  Starting broker...',
  )
  yield* delay(x, 5000)
  yield* say(
    x,
    1,
    `${t()} [info] <0.615.0> started TCP listener on [::]:5672`,
    ...(mgmt ? [`${t()} [info] <0.745.0> Management plugin: HTTP (non-TLS) listener started on port 15672`] : []),
    `${t()} [info] <0.9.0> Server startup complete; ${mgmt ? 5 : 0} plugins started.`,
  )
  const listeners: Listener[] = [
    {port: 5672, protocol: 'tcp'},
    {port: 4369, protocol: 'tcp'},
    {port: 25672, protocol: 'tcp'},
  ]
  if (mgmt)
    listeners.push({
      port: 15672,
      protocol: 'http',
      http: () =>
        text(
          200,
          '<!DOCTYPE html>\n<html>\n  <head>\n    <title>RabbitMQ Management</title>\n  </head>\n</html>\n',
          'text/html',
        ),
    })
  return yield* serve(x, 130, listeners, {
    code: 0,
    afterMs: 2000,
    lines: (at) => [
      {
        fd: 1,
        text: `${strftime('%Y-%m-%d %H:%M:%S', at)}.${micros(at)}+00:00 [info] <0.9.0> RabbitMQ is asked to stop...`,
      },
    ],
  })
}

// ---- language images ----------------------------------------------------------------------------------------------

/** literalPrints extracts print("...")/console.log("...")/puts "..." string literals from a one-liner. */
function literalPrints(code: string): string[] {
  const outLines: string[] = []
  const re = /(?:print|console\.log|puts|echo|System\.out\.println)\s*\(?\s*(['"])((?:\\.|(?!\1).)*)\1/g
  for (const m of code.matchAll(re)) outLines.push(m[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'))
  return outLines
}

function* pythonProgram(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  if (args[0] === '--version' || args[0] === '-V') {
    yield* say(x, 1, `Python ${x.proc.version}`)
    return 0
  }
  if (args[0] === '-c') {
    yield* say(x, 1, ...literalPrints(args[1] ?? ''))
    if (/while\s+True|time\.sleep|serve_forever/.test(args[1] ?? '')) yield* sleep(Infinity)
    return 0
  }
  if (args[0] === '-m' && args[1] === 'http.server') {
    const port = Number(args.find((a, i) => i > 1 && /^\d+$/.test(a)) ?? 8000)
    yield* say(x, 1, `Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`)
    return yield* serve(x, 15, [
      {
        port,
        protocol: 'http',
        http: (req) => {
          const f = staticFile(x, x.cwd === '/' ? '' : x.cwd, req.path)
          return f !== undefined
            ? text(200, f, 'text/html')
            : text(
                200,
                `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for ${req.path}</title>\n</head>\n<body>\n<h1>Directory listing for ${req.path}</h1>\n<hr>\n<ul>\n</ul>\n<hr>\n</body>\n</html>\n`,
                'text/html',
              )
        },
        accessLog: (req, res, at) => ({
          fd: 2,
          text: `${req.clientIP ?? '127.0.0.1'} - - [${strftime('%d/%b/%Y %H:%M:%S', at)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} -`,
        }),
      },
    ])
  }
  const script = args.find((a) => !a.startsWith('-'))
  if (script !== undefined) {
    if (readFile(x, script) === undefined) {
      yield* say(
        x,
        2,
        `${x.argv[0].split('/').pop()}: can't open file '${resolvePath(x.cwd, script)}': [Errno 2] No such file or directory`,
      )
      return 2
    }
    // A script we cannot run for real: assume it is a long-running app.
    return yield* serve(x, 30, [])
  }
  return 0
}

function* nodeProgram(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  if (args[0] === '--version' || args[0] === '-v') {
    yield* say(x, 1, `v${x.proc.version}`)
    return 0
  }
  if (args[0] === '-e' || args[0] === '--eval' || args[0] === '-p') {
    yield* say(x, 1, ...literalPrints(args[1] ?? ''))
    if (/setInterval|listen\(/.test(args[1] ?? '')) yield* sleep(Infinity)
    return 0
  }
  const script = args.find((a) => !a.startsWith('-'))
  if (script !== undefined) {
    const path = resolvePath(x.cwd, script)
    if (readFile(x, script) === undefined && readFile(x, script + '.js') === undefined) {
      yield* say(
        x,
        2,
        'node:internal/modules/cjs/loader:1386',
        '  throw err;',
        '  ^',
        '',
        `Error: Cannot find module '${path}'`,
        '    at Function._resolveFilename (node:internal/modules/cjs/loader:1383:15)',
        '    at defaultResolveImpl (node:internal/modules/cjs/loader:1025:19)',
        '    at Function._load (node:internal/modules/cjs/loader:1175:37)',
        '    at node:internal/main/run_main_module:36:49 {',
        "  code: 'MODULE_NOT_FOUND',",
        '  requireStack: []',
        '}',
        '',
        `Node.js v${x.proc.version}`,
      )
      return 1
    }
    return yield* serve(x, 40, [])
  }
  return 0
}

function* nodeEntrypoint(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  if (args[0]?.startsWith('-') || (args[0] !== undefined && !x.proc.lookup(args[0]))) args = ['node', ...args]
  return yield* execArgs(x, args)
}

function* replExit(x: Exec, banner: string[] = []): Gen<number> {
  // A REPL without a tty reads an empty stdin and ends at once.
  yield* say(x, 1, ...banner)
  return 0
}

// ---- generic HTTP apps -----------------------------------------------------------------------------------------

/** answerFrom picks the Behavior answer for a path at elapsed seconds. */
export function answerFrom(http: Behavior['http'], path: string, elapsedS: number): HttpAnswer | undefined {
  if (!http) return undefined
  const p = path.split('?')[0]
  const entry = http[p] ?? http['*']
  if (!entry) return undefined
  const list = Array.isArray(entry) ? entry : [entry]
  let pick: HttpAnswer | undefined
  for (const a of [...list].sort((l, r) => (l.afterSeconds ?? 0) - (r.afterSeconds ?? 0)))
    if (elapsedS >= (a.afterSeconds ?? 0)) pick = a
  return pick
}

function* appProgram(x: Exec): Gen<number> {
  const b = x.proc.behavior ?? {}
  const fill = (s: string) =>
    s
      .replace(/\{time\}/g, isoMilli(x.proc.now()).replace(/\.\d+Z$/, 'Z'))
      .replace(/\{hostname\}/g, x.proc.hostname)
      .replace(/\{version\}/g, x.proc.version)
  const missing = (b.requireEnv ?? []).filter((n) => !x.env.get(n))
  if (missing.length) {
    yield* say(x, 2, ...(b.exitLogs ?? [`error: missing required environment variable ${missing[0]}`]).map(fill))
    return b.exitCode ?? 1
  }
  yield* say(x, 1, ...(b.logs ?? []).map(fill))
  if (b.startSeconds) yield* sleep(b.startSeconds * 1000)
  yield* x.proc.useMemory((b.memoryMiB ?? 10) * MiB)
  const ports = b.listen ?? x.proc.ports
  for (const port of ports) {
    x.proc.listen({
      port,
      protocol: 'http',
      http: (req) => {
        const a = answerFrom(b.http, req.path, x.proc.elapsed() / 1000)
        return a ? text(a.status, a.body ?? (a.status < 400 ? 'OK\n' : `${a.status}\n`)) : text(200, 'OK\n')
      },
    })
  }
  if (b.exitAfterSeconds !== undefined) {
    yield* sleep(Math.max(0, b.exitAfterSeconds * 1000 - x.proc.elapsed()))
    yield* say(x, 2, ...(b.exitLogs ?? []).map(fill))
    return b.exitCode ?? (b.exitLogs?.length ? 1 : 0)
  }
  x.proc.onTerm = {code: 0, afterMs: 10}
  yield* sleep(Infinity)
  return 0
}

/** simpleHttp builds a server program from its log lines and an HTTP handler. */
function simpleHttp(opts: {
  lines: (x: Exec) => {fd: 1 | 2; text: string}[]
  port: (x: Exec) => number
  memMiB: number
  startMs?: number
  http: (x: Exec, req: HttpRequest, now: number) => HttpResponse
  accessLog?: (x: Exec, req: HttpRequest, res: HttpResponse, at: number) => string | undefined
  more?: (x: Exec) => Listener[]
}): Program {
  return function* (x) {
    if (opts.startMs) yield* delay(x, opts.startMs)
    for (const l of opts.lines(x)) yield* say(x, l.fd, l.text)
    const listener: Listener = {port: opts.port(x), protocol: 'http', http: (req, now) => opts.http(x, req, now)}
    if (opts.accessLog) {
      const f = opts.accessLog
      listener.accessLog = (req, res, at) => {
        const line = f(x, req, res, at)
        return line === undefined ? undefined : {fd: 1, text: line}
      }
    }
    return yield* serve(x, opts.memMiB, [listener, ...(opts.more?.(x) ?? [])], {code: 0, afterMs: 20})
  }
}

const httpEcho: Program = function* (x) {
  const args = x.argv.slice(1)
  if (args.includes('-version') || args.includes('--version')) {
    yield* say(x, 1, `http-echo v${x.proc.version}`)
    return 0
  }
  const t = flag(x.argv, 'text') ?? x.env.get('ECHO_TEXT')
  if (!t) {
    yield* say(x, 2, 'Missing -text option!')
    return 127
  }
  const listen = flag(x.argv, 'listen') ?? ':5678'
  const port = Number(listen.split(':').pop()) || 5678
  yield* say(x, 2, `${goTime(x.proc.now())} [INFO] server is listening on ${listen}`)
  return yield* serve(
    x,
    4,
    [
      {
        port,
        protocol: 'http',
        http: (req) =>
          req.path === '/health' ? text(200, '{"status":"ok"}\n', 'application/json') : text(200, t + '\n'),
        accessLog: (req, res, at) => ({fd: 2, text: accessLogLine('http-echo', req, res, at)}),
      },
    ],
    {
      code: 0,
      afterMs: 10,
      lines: (at) => [{fd: 2, text: `${goTime(at)} [INFO] server received signal, shutting down`}],
    },
  )
}

function echoBody(x: Exec, req: HttpRequest): string {
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `\t${k.toLowerCase()}=${v}`)
  if (!headers.some((h) => h.startsWith('\thost='))) headers.unshift(`\thost=${req.host ?? x.proc.podIP + ':8080'}`)
  return [
    '',
    '',
    `Hostname: ${x.proc.hostname}`,
    '',
    'Pod Information:',
    '\t-no pod information available-',
    '',
    'Server values:',
    '\tserver_version=nginx: 1.13.3 - lua: 10008',
    '',
    'Request Information:',
    `\tclient_address=${req.clientIP ?? '127.0.0.1'}`,
    `\tmethod=${req.method}`,
    `\treal path=${req.path.split('?')[0]}`,
    `\tquery=${req.path.split('?')[1] ?? ''}`,
    '\trequest_version=1.1',
    `\trequest_scheme=http`,
    `\trequest_uri=http://${req.host ?? x.proc.podIP + ':8080'}${req.path}`,
    '',
    'Request Headers:',
    ...headers.sort(),
    '',
    'Request Body:',
    req.body ? `\t${req.body}` : '\t-no body in request-',
    '',
    '',
  ].join('\n')
}

function* agnhost(x: Exec): Gen<number> {
  const [sub, ...rest] = x.argv.slice(1)
  const argv = ['', ...rest]
  const klog = (msg: string, file = 'log.go:245') => `${klogHeader(x.proc.now())}       1 ${file}] ${msg}`
  switch (sub) {
    case 'netexec': {
      const port = Number(flag(argv, 'http-port') ?? 8080)
      const udp = Number(flag(argv, 'udp-port') ?? 8081)
      yield* say(x, 2, klog(`Started HTTP server on port ${port}`), klog(`Started UDP server on port  ${udp}`))
      return yield* serve(x, 8, [
        {
          port,
          protocol: 'http',
          http: (req, now) => {
            const [path, query = ''] = req.path.split('?')
            const q = new URLSearchParams(query)
            switch (path) {
              case '/hostname':
                return text(200, x.proc.hostname)
              case '/healthz':
              case '/healthz/':
                return text(200, '')
              case '/echo':
                return text(200, q.get('msg') ?? '')
              case '/clientip':
                return text(200, `${req.clientIP ?? '127.0.0.1'}:${40000 + (Math.floor(now) % 20000)}`)
              case '/exit':
                return text(200, '')
              default:
                return text(
                  200,
                  `NOW: ${strftime('%Y-%m-%d %H:%M:%S', now)}.${micros(now)}000 +0000 UTC m=+${(x.proc.elapsed() / 1000).toFixed(9)}`,
                )
            }
          },
        },
        {port: udp, protocol: 'tcp'},
      ])
    }
    case 'serve-hostname': {
      const port = Number(flag(argv, 'port') ?? 9376)
      yield* say(x, 2, `${goTime(x.proc.now())} Serving on port ${port}.`)
      return yield* serve(x, 6, [{port, protocol: 'http', http: () => text(200, x.proc.hostname)}])
    }
    case 'liveness':
      // Follows test/images/agnhost/liveness: /healthz answers 200 for the first 10 seconds, then 500.
      yield* say(x, 2, klog('Started liveness server', 'server.go:48'))
      return yield* serve(x, 6, [
        {
          port: 8080,
          protocol: 'http',
          http: () => {
            const s = x.proc.elapsed() / 1000
            return s > 10 ? text(500, `error: ${s.toFixed(6)}`) : text(200, 'ok')
          },
        },
      ])
    case 'pause':
      yield* say(x, 1, 'Paused')
      return yield* serve(x, 2, [], {
        code: 0,
        afterMs: 5,
        lines: () => [{fd: 1, text: 'Shutting down after receiving signal: terminated.'}],
      })
    case 'test-webserver': {
      const port = Number(flag(argv, 'port') ?? 80)
      return yield* serve(x, 4, [{port, protocol: 'http', http: () => text(200, 'Hello, World!')}])
    }
    case 'grpc-health-checking': {
      const port = Number(flag(argv, 'port') ?? 5000)
      const hport = Number(flag(argv, 'http-port') ?? 8080)
      yield* say(x, 2, klog(`gRPC server starting to listen on port ${port}`, 'grpc-health-checking.go:100'))
      return yield* serve(x, 6, [
        {port, protocol: 'grpc', grpcServing: () => true},
        {port: hport, protocol: 'http', http: () => text(200, 'ok')},
      ])
    }
    case 'fake-gitserver':
      return yield* serve(x, 4, [
        {port: Number(flag(argv, 'port') ?? 8000), protocol: 'http', http: () => text(200, '')},
      ])
    case undefined:
      yield* say(
        x,
        1,
        'Usage:',
        '  app [command]',
        '',
        'Available Commands:',
        '  netexec          Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints',
        '  serve-hostname   Serves the hostname of the pod',
        '  liveness         Starts a web server that fails liveness checks after 10 seconds',
        '  pause            Pauses the execution',
        '',
        'Flags:',
        '  -h, --help   help for app',
        '',
        'Use "app [command] --help" for more information about a command.',
      )
      return 0
    default:
      yield* say(x, 2, `Error: unknown command "${sub}" for "app"`, "Run 'app --help' for usage.")
      return 1
  }
}

function* curlEntrypoint(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  if (args.length === 0 || args[0].startsWith('-') || !x.proc.lookup(args[0])) args = ['curl', ...args]
  return yield* execArgs(x, args)
}

function* stress(x: Exec): Gen<number> {
  const argv = x.argv
  if (argv.length === 1 || argv.includes('--help') || argv.includes('-?')) {
    yield* say(
      x,
      1,
      "`stress' imposes certain types of compute stress on your system",
      '',
      'Usage: stress [OPTION [ARG]] ...',
      ' -?, --help         show this help statement',
      '     --version      show version statement',
      ' -v, --verbose      be verbose',
      ' -q, --quiet        be quiet',
      ' -n, --dry-run      show what would have been done',
      ' -t, --timeout N    timeout after N seconds',
      ' -c, --cpu N        spawn N workers spinning on sqrt()',
      ' -m, --vm N         spawn N workers spinning on malloc()/free()',
      '     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)',
      '     --vm-hang N    sleep N secs before free (default none, 0 is inf)',
      '',
      'Example: stress --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s',
      '',
      'Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).',
    )
    return argv.length === 1 ? 1 : 0
  }
  const num = (s: string | undefined, def: number) => (s === undefined ? def : Number.parseInt(s, 10))
  const cpu = num(flag(argv, 'cpu') ?? flag(argv, 'c'), 0)
  const io = num(flag(argv, 'io') ?? flag(argv, 'i'), 0)
  const vm = num(flag(argv, 'vm') ?? flag(argv, 'm'), 0)
  const hdd = num(flag(argv, 'hdd') ?? flag(argv, 'd'), 0)
  const bytesArg = flag(argv, 'vm-bytes') ?? '256M'
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(bytesArg)
  const unit = {'': 1, b: 1, k: 1024, m: MiB, g: 1024 * MiB}[(m?.[2] ?? '').toLowerCase() as '' | 'b' | 'k' | 'm' | 'g']
  const bytes = m ? Number(m[1]) * unit : 256 * MiB
  const timeout = flag(argv, 'timeout') ?? flag(argv, 't')
  yield* say(x, 1, `stress: info: [1] dispatching hogs: ${cpu} cpu, ${io} io, ${vm} vm, ${hdd} hdd`)
  yield* x.proc.useMemory(1 * MiB + vm * bytes)
  if (timeout !== undefined) {
    const secs =
      Number.parseInt(timeout, 10) * ({s: 1, m: 60, h: 3600, d: 86400}[timeout.replace(/^\d+/, '') as 's'] ?? 1)
    yield* sleep(secs * 1000)
    yield* say(x, 1, `stress: info: [1] successful run completed in ${secs}s`)
    return 0
  }
  yield* sleep(Infinity)
  return 0
}

function* passThrough(x: Exec): Gen<number> {
  // tini / dumb-init: run the rest of the command line.
  let args = x.argv.slice(1)
  while (args[0]?.startsWith('-')) args = args.slice(args[0] === '--' ? 1 : 1)
  return yield* execArgs(x, args)
}

function* foreverQuiet(x: Exec): Gen<number> {
  return yield* serve(x, 1, [], {code: 0, afterMs: 5})
}

// ---- the table --------------------------------------------------------------------------------------------------

const nginxFiles = () => ({
  '/usr/share/nginx/html/index.html': NGINX_WELCOME,
  '/usr/share/nginx/html/50x.html':
    '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n',
  '/etc/nginx/nginx.conf':
    'user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  \'$remote_addr - $remote_user [$time_local] "$request" \'\n                      \'$status $body_bytes_sent "$http_referer" \'\n                      \'"$http_user_agent" "$http_x_forwarded_for"\';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    keepalive_timeout  65;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n',
})

/** PROFILES maps a profile name to its behaviour. */
export const PROFILES: Record<string, Profile> = {
  shell: {programs: {}},
  nginx: {
    programs: {'docker-entrypoint.sh': nginxEntrypoint, nginx: nginxServer, 'nginx-debug': nginxServer},
    files: nginxFiles,
  },
  httpd: {
    programs: {
      'httpd-foreground': (x) => httpdServer({...x, argv: ['httpd', '-DFOREGROUND', ...x.argv.slice(1)]}),
      httpd: httpdServer,
      apachectl: httpdServer,
    },
    files: () => ({'/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n'}),
  },
  redis: {programs: {'docker-entrypoint.sh': redisEntrypoint, 'redis-server': redisServer, 'redis-cli': redisCli}},
  postgres: {programs: {'docker-entrypoint.sh': postgresEntrypoint, postgres: postgresServer, pg_isready: pgIsready}},
  mysql: {programs: {'docker-entrypoint.sh': (x) => mysqlEntrypoint(x, false), mysqld, mysqladmin}},
  mariadb: {
    programs: {
      'docker-entrypoint.sh': (x) => mysqlEntrypoint(x, true),
      mariadbd,
      mysqld: mariadbd,
      mysqladmin,
      'mariadb-admin': mysqladmin,
      'healthcheck.sh': mysqladmin,
    },
  },
  mongo: {programs: {'docker-entrypoint.sh': mongod, mongod, mongosh, mongo: mongosh}},
  memcached: {programs: {'docker-entrypoint.sh': memcached, memcached}},
  rabbitmq: {
    programs: {
      'docker-entrypoint.sh': rabbitmq,
      'rabbitmq-server': rabbitmq,
      'rabbitmq-diagnostics': function* (x) {
        if (!x.proc.listeners.has(5672)) {
          yield* say(
            x,
            2,
            "Error: unable to perform an operation on node 'rabbit@" +
              x.proc.hostname +
              "'. Please see diagnostics information and suggestions below.",
          )
          return 69
        }
        yield* say(
          x,
          1,
          `Will ping rabbit@${x.proc.hostname}. This only checks if the OS process is running and registered with epmd. Timeout: 60000 ms.`,
          'Ping succeeded',
        )
        return 0
      },
    },
  },
  language: {
    programs: {
      'docker-entrypoint.sh': nodeEntrypoint,
      node: nodeProgram,
      python: pythonProgram,
      python3: pythonProgram,
      irb: (x) => replExit(x),
      ruby: function* (x) {
        const i = x.argv.indexOf('-e')
        yield* say(x, 1, ...(i > 0 ? literalPrints(x.argv[i + 1] ?? '') : []))
        return 0
      },
      jshell: (x) =>
        replExit(x, [
          `|  Welcome to JShell -- Version ${x.proc.version.replace(/\+.*/, '')}`,
          '|  For an introduction type: /help intro',
          '',
        ]),
      java: function* (x) {
        if (x.argv.includes('-version') || x.argv.includes('--version')) {
          yield* say(x, 2, `openjdk version "${x.proc.version.replace(/\+.*/, '')}"`)
          return 0
        }
        yield* say(x, 2, 'Error: Unable to access jarfile ' + (x.argv.at(-1) ?? ''))
        return 1
      },
      go: function* (x) {
        yield* say(x, 1, `go version go${x.proc.version} linux/amd64`)
        return 0
      },
    },
  },
  php: {
    programs: {
      'docker-php-entrypoint': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.startsWith('-')) args = ['php', ...args]
        return yield* execArgs(x, args)
      },
      php: function* (x) {
        if (x.argv.includes('-v')) {
          yield* say(x, 1, `PHP ${x.proc.version} (cli) (built: Oct 23 2025 00:00:00) (NTS)`)
          return 0
        }
        if (x.argv.includes('-a')) yield* say(x, 1, 'Interactive shell', '')
        return 0
      },
      'apache2-foreground': (x) => apacheForeground(x, false),
      'php-fpm': function* (x) {
        const t = () => strftime('%d-%b-%Y %H:%M:%S', x.proc.now())
        yield* say(x, 2, `[${t()}] NOTICE: fpm is running, pid 1`, `[${t()}] NOTICE: ready to handle connections`)
        return yield* serve(x, 12, [{port: 9000, protocol: 'tcp'}], {
          code: 0,
          afterMs: 10,
          lines: (at) => [{fd: 2, text: `[${strftime('%d-%b-%Y %H:%M:%S', at)}] NOTICE: exiting, bye-bye!`}],
        })
      },
    },
  },
  wordpress: {
    programs: {
      'docker-entrypoint.sh': function* (x) {
        const args = x.argv.slice(1)
        if (args[0] === 'apache2-foreground' || args[0] === 'php-fpm') {
          yield* say(
            x,
            2,
            'WordPress not found in /var/www/html - copying now...',
            'Complete! WordPress has been successfully copied to /var/www/html',
          )
          if (x.env.get('WORDPRESS_DB_HOST'))
            yield* say(
              x,
              2,
              `No 'wp-config.php' found in /var/www/html, but 'WORDPRESS_...' variables supplied; copying 'wp-config-docker.php' (${[
                ...x.env.keys(),
              ]
                .filter((k) => k.startsWith('WORDPRESS_'))
                .sort()
                .join(' ')})`,
            )
        }
        return yield* execArgs(x, args)
      },
      'apache2-foreground': (x) => apacheForeground(x, true),
    },
  },
  traefik: {
    programs: {
      '/entrypoint.sh': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.startsWith('-')) args = ['traefik', ...args]
        return yield* execArgs(x, args)
      },
      traefik: simpleHttp({
        lines: (x) => [
          {
            fd: 1,
            text: `${isoMilli(x.proc.now()).replace(/\.\d+Z/, 'Z')} INF Traefik version ${x.proc.version} built on 2025-10-28T10:00:00Z version=${x.proc.version}`,
          },
          {
            fd: 1,
            text: `${isoMilli(x.proc.now()).replace(/\.\d+Z/, 'Z')} INF Starting provider aggregator *aggregator.ProviderAggregator`,
          },
        ],
        port: () => 80,
        memMiB: 40,
        http: () => text(404, '404 page not found\n'),
      }),
    },
  },
  haproxy: {
    programs: {
      'docker-entrypoint.sh': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.startsWith('-')) args = ['haproxy', ...args]
        return yield* execArgs(x, args)
      },
      haproxy: function* (x) {
        if (x.argv.includes('-v')) {
          yield* say(x, 1, `HAProxy version ${x.proc.version}-1 2025/10/20 - https://haproxy.org/`)
          return 0
        }
        const cfg = flag(x.argv, 'f') ?? '/usr/local/etc/haproxy/haproxy.cfg'
        const mounted =
          x.proc.files.has(cfg) || x.proc.mounts.some((m) => cfg === m || cfg.startsWith(m.replace(/\/?$/, '/')))
        if (!mounted) {
          yield* say(
            x,
            2,
            `[ALERT]    (1) : config : Cannot open configuration file/directory ${cfg} : No such file or directory`,
          )
          return 1
        }
        yield* say(
          x,
          2,
          '[NOTICE]   (1) : haproxy version is ' + x.proc.version + '-1',
          '[NOTICE]   (1) : path to executable is /usr/local/sbin/haproxy',
          '[NOTICE]   (1) : New worker (8) forked',
          '[NOTICE]   (1) : Loading success.',
        )
        return yield* serve(
          x,
          12,
          x.proc.ports.map((port) => ({
            port,
            protocol: 'http' as const,
            http: () =>
              text(
                503,
                '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
                'text/html',
              ),
          })),
          {code: 0, afterMs: 20},
        )
      },
    },
  },
  caddy: {
    programs: {
      caddy: function* (x) {
        if (x.argv[1] === 'version') {
          yield* say(x, 1, `v${x.proc.version} h1:0000000000000000000000000000000000000000000=`)
          return 0
        }
        const ts = () => (x.proc.now() / 1000).toFixed(7)
        yield* say(
          x,
          2,
          `{"level":"info","ts":${ts()},"msg":"using config from file","file":"/etc/caddy/Caddyfile"}`,
          `{"level":"info","ts":${ts()},"msg":"adapted config to JSON","adapter":"caddyfile"}`,
          `{"level":"info","ts":${ts()},"logger":"admin","msg":"admin endpoint started","address":"localhost:2019","enforce_origin":false,"origins":["//localhost:2019","//[::1]:2019","//127.0.0.1:2019"]}`,
          `{"level":"info","ts":${ts()},"logger":"http.log","msg":"server running","name":"srv0","protocols":["h1","h2","h3"]}`,
          `{"level":"info","ts":${ts()},"msg":"autosaved config (load with --resume flag)","file":"/config/caddy/autosave.json"}`,
          `{"level":"info","ts":${ts()},"msg":"serving initial configuration"}`,
        )
        return yield* serve(
          x,
          15,
          [
            {
              port: 80,
              protocol: 'http',
              http: (req) => {
                const f = staticFile(x, '/usr/share/caddy', req.path)
                return f !== undefined ? text(200, f, 'text/html') : text(404, '')
              },
            },
            {port: 2019, protocol: 'http', http: () => text(200, '{}')},
          ],
          {code: 0, afterMs: 20},
        )
      },
    },
    files: () => ({
      '/usr/share/caddy/index.html':
        '<!DOCTYPE html>\n<html>\n<head>\n\t<title>Caddy works!</title>\n</head>\n<body>\n\t<h1>Caddy works!</h1>\n</body>\n</html>\n',
    }),
  },
  consul: {
    programs: {
      'docker-entrypoint.sh': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.startsWith('-') || ['agent', 'members', 'version'].includes(args[0] ?? ''))
          args = ['consul', ...args]
        return yield* execArgs(x, args)
      },
      consul: simpleHttp({
        lines: (x) =>
          [
            '==> Starting Consul agent...',
            `              Version: '${x.proc.version}'`,
            `           Build Date: '2025-10-01 00:00:00 +0000 UTC'`,
            `              Node ID: '${'0'.repeat(8)}-0000-0000-0000-000000000000'`,
            `            Node name: '${x.proc.hostname}'`,
            "           Datacenter: 'dc1' (Segment: '<all>')",
            '               Server: true (Bootstrap: false)',
            '          Client Addr: [0.0.0.0] (HTTP: 8500, HTTPS: -1, gRPC: 8502, gRPC-TLS: 8503, DNS: 8600)',
            '',
            '==> Log data will now stream in as it occurs:',
            '',
            `${isoMilli(x.proc.now()).replace('Z', '+0000')} [INFO]  agent: Consul agent running!`,
          ].map((t) => ({fd: 1 as const, text: t})),
        port: () => 8500,
        memMiB: 60,
        http: (x, req) =>
          req.path.startsWith('/v1/status/leader')
            ? text(200, '"127.0.0.1:8300"', 'application/json')
            : req.path.startsWith('/v1/')
              ? text(200, '[]', 'application/json')
              : {status: 301, headers: {Location: '/ui/'}, body: ''},
      }),
    },
  },
  vault: {
    programs: {
      'docker-entrypoint.sh': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.startsWith('-') || ['server', 'version'].includes(args[0] ?? '')) args = ['vault', ...args]
        return yield* execArgs(x, args)
      },
      vault: simpleHttp({
        lines: (x) =>
          [
            '==> Vault server configuration:',
            '',
            'Administrative Namespace: ',
            '             Api Address: http://0.0.0.0:8200',
            '                     Cgo: disabled',
            '               Log Level: info',
            '                   Mlock: supported: true, enabled: false',
            '                 Storage: inmem',
            `                 Version: Vault v${x.proc.version}, built 2025-10-20T00:00:00Z`,
            '',
            '==> Vault server started! Log data will stream in below:',
            '',
            'WARNING! dev mode is enabled! In this mode, Vault runs entirely in-memory',
            'and starts unsealed with a single unseal key. The root token is already',
            'authenticated to the CLI, so you can immediately begin using Vault.',
            '',
            `Root Token: ${
              x.env.get('VAULT_DEV_ROOT_TOKEN_ID') ??
              'hvs.' +
                Math.floor(x.proc.random() * 1e16)
                  .toString(36)
                  .padEnd(24, 'x')
            }`,
            '',
            'Development mode should NOT be used in production installations!',
          ].map((t) => ({fd: 1 as const, text: t})),
        port: () => 8200,
        memMiB: 120,
        http: (x, req) =>
          req.path.startsWith('/v1/sys/health')
            ? text(200, '{"initialized":true,"sealed":false,"standby":false}', 'application/json')
            : text(307, ''),
      }),
    },
  },
  elasticsearch: {
    programs: {
      '/bin/tini': passThrough,
      tini: passThrough,
      'docker-entrypoint.sh': function* (x) {
        const args = x.argv.slice(1)
        if (args[0] !== 'eswrapper' && args[0] !== 'elasticsearch') return yield* execArgs(x, args)
        const ts = () => isoMilli(x.proc.now())
        const json = (level: string, logger: string, message: string) =>
          `{"@timestamp":"${ts()}", "log.level": "${level}", "message":"${message}", "ecs.version": "1.2.0","service.name":"ES_ECS","event.dataset":"elasticsearch.server","process.thread.name":"main","log.logger":"${logger}","elasticsearch.node.name":"${x.proc.hostname}","elasticsearch.cluster.name":"docker-cluster"}`
        const v7 = x.proc.version.startsWith('7.')
        yield* x.proc.useMemory(1024 * MiB)
        yield* delay(x, 6000)
        yield* say(
          x,
          1,
          json(
            'INFO',
            'org.elasticsearch.node.Node',
            `version[${x.proc.version}], pid[1], build[docker/0000000000000000000000000000000000000000/2025-10-20T00:00:00.000Z], OS[Linux/6.1.0-mkctl/amd64], JVM[Oracle Corporation/OpenJDK 64-Bit Server VM/24/24+36-3646]`,
          ),
        )
        const single =
          x.env.get('discovery.type') === 'single-node' ||
          x.env.get('cluster.initial_master_nodes') ||
          x.env.get('discovery.seed_hosts')
        if (!single) {
          yield* say(
            x,
            1,
            json(
              'ERROR',
              'org.elasticsearch.bootstrap.Elasticsearch',
              'node validation exception\\n[1] bootstrap checks failed. You must address the points described in the following [1] lines before starting Elasticsearch. For more information see [https://www.elastic.co/guide/en/elasticsearch/reference/' +
                x.proc.version.split('.').slice(0, 2).join('.') +
                '/bootstrap-checks.html]\\nbootstrap check failure [1] of [1]: the default discovery settings are unsuitable for production use; at least one of [discovery.seed_hosts, discovery.seed_providers, cluster.initial_master_nodes] must be configured',
            ),
          )
          yield* say(
            x,
            2,
            'ERROR: Elasticsearch did not exit normally - check the logs at /usr/share/elasticsearch/logs/docker-cluster.log',
          )
          return 78
        }
        yield* delay(x, 8000)
        const secure = !v7 && x.env.get('xpack.security.enabled') !== 'false'
        yield* say(
          x,
          1,
          json(
            'INFO',
            'org.elasticsearch.http.AbstractHttpServerTransport',
            `publish_address {${x.proc.podIP}:9200}, bound_addresses {[::]:9200}`,
          ),
          json(
            'INFO',
            'org.elasticsearch.node.Node',
            'started {' + x.proc.hostname + '}{0000000000000000000000}{master}',
          ),
        )
        return yield* serve(
          x,
          0,
          [
            {
              port: 9200,
              protocol: 'http',
              http: () =>
                secure
                  ? {
                      status: 401,
                      headers: {'WWW-Authenticate': 'Basic realm="security", charset="UTF-8"'},
                      body: '{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/]"}],"type":"security_exception","reason":"missing authentication credentials for REST request [/]"},"status":401}',
                    }
                  : text(
                      200,
                      `{\n  "name" : "${x.proc.hostname}",\n  "cluster_name" : "docker-cluster",\n  "version" : {\n    "number" : "${x.proc.version}"\n  },\n  "tagline" : "You Know, for Search"\n}\n`,
                      'application/json',
                    ),
            },
            {port: 9300, protocol: 'tcp'},
          ],
          {code: 143, afterMs: 500},
        )
      },
    },
  },
  grafana: {
    programs: {
      '/run.sh': simpleHttp({
        lines: (x) => {
          const t = () => isoNano(x.proc.now())
          return [
            `logger=settings t=${t()} level=info msg="Starting Grafana" version=${x.proc.version} commit=0000000000 branch=HEAD compiled=${t()}`,
            `logger=settings t=${t()} level=info msg="Config loaded from" file=/usr/share/grafana/conf/defaults.ini`,
            `logger=sqlstore t=${t()} level=info msg="Connecting to DB" dbtype=sqlite3`,
            `logger=migrator t=${t()} level=info msg="Starting DB migrations"`,
            `logger=http.server t=${t()} level=info msg="HTTP Server Listen" address=[::]:3000 protocol=http subUrl= socket=`,
          ].map((l) => ({fd: 1 as const, text: l}))
        },
        startMs: 2000,
        port: () => 3000,
        memMiB: 80,
        http: (x, req) =>
          req.path.startsWith('/api/health')
            ? text(
                200,
                `{\n  "database": "ok",\n  "version": "${x.proc.version}",\n  "commit": "0000000000"\n}`,
                'application/json',
              )
            : req.path.startsWith('/login')
              ? text(
                  200,
                  '<!DOCTYPE html><html lang="en-US"><head><title>Grafana</title></head><body></body></html>',
                  'text/html',
                )
              : {status: 302, headers: {Location: '/login'}, body: '<a href="/login">Found</a>.\n\n'},
      }),
    },
  },
  prometheus: {
    programs: {
      prometheus: simpleHttp({
        lines: (x) => {
          const v3 = x.proc.version.startsWith('3')
          const l = (msg: string, extra = '') =>
            v3
              ? `time=${isoMilli(x.proc.now())} level=INFO source=main.go:1580 msg="${msg}"${extra}`
              : `ts=${isoMilli(x.proc.now())} caller=main.go:1188 level=info msg="${msg}"${extra}`
          return [
            l(
              'Starting Prometheus Server',
              ` mode=server version="(version=${x.proc.version}, branch=HEAD, revision=0000000000000000000000000000000000000000)"`,
            ),
            l('Loading configuration file', ' filename=/etc/prometheus/prometheus.yml'),
            l('Server is ready to receive web requests.'),
          ].map((t) => ({fd: 2 as const, text: t}))
        },
        port: () => 9090,
        memMiB: 60,
        http: (x, req) =>
          req.path.startsWith('/-/healthy')
            ? text(200, 'Prometheus Server is Healthy.\n')
            : req.path.startsWith('/-/ready')
              ? text(200, 'Prometheus Server is Ready.\n')
              : req.path === '/'
                ? {status: 302, headers: {Location: '/query'}, body: ''}
                : text(
                    200,
                    '<!doctype html><html lang="en"><head><title>Prometheus Time Series Collection and Processing Server</title></head></html>',
                    'text/html',
                  ),
      }),
    },
  },
  registry: {
    programs: {
      '/entrypoint.sh': function* (x) {
        let args = x.argv.slice(1)
        if (args[0]?.endsWith('.yml') || args[0]?.endsWith('.yaml')) args = ['registry', 'serve', ...args]
        return yield* execArgs(x, args)
      },
      registry: simpleHttp({
        lines: (x) => [
          {
            fd: 2,
            text: `time="${isoNano(x.proc.now())}" level=info msg="listening on [::]:5000" environment=development go.version=go1.24.4 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=${x.proc.version}`,
          },
        ],
        port: () => 5000,
        memMiB: 10,
        http: (x, req) => (req.path.startsWith('/v2') ? text(200, '{}', 'application/json') : text(200, '')),
        accessLog: (x, req, res, at) =>
          `${req.clientIP ?? '127.0.0.1'} - - [${clfTime(at)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length} "" "${req.headers?.['User-Agent'] ?? ''}"`,
      }),
    },
  },
  'http-echo': {programs: {'http-echo': httpEcho}},
  echoserver: {
    programs: {
      'run.sh': simpleHttp({
        lines: (x) =>
          x.proc.version === '1.10'
            ? [
                'Generating self-signed cert',
                'Generating a 2048 bit RSA private key',
                '..............+++',
                '.........+++',
                "writing new private key to '/certs/privateKey.key'",
                '-----',
                'Starting nginx',
              ].map((t) => ({fd: (t.startsWith('Gen') || t.startsWith('Start') ? 1 : 2) as 1 | 2, text: t}))
            : [],
        port: () => 8080,
        memMiB: 6,
        http: (x, req) => text(200, echoBody(x, req)),
        accessLog: (x, req, res, at) => accessLogLine('combined', req, res, at),
      }),
    },
  },
  pause: {
    programs: {
      pause: function* (x) {
        return yield* serve(x, 0.5, [], {
          code: 0,
          afterMs: 1,
          lines: () => [{fd: 2, text: 'Shutting down, got signal: Terminated'}],
        })
      },
    },
  },
  agnhost: {programs: {agnhost}},
  curl: {programs: {'/entrypoint.sh': curlEntrypoint}},
  'hello-app': {
    programs: {
      'hello-app': simpleHttp({
        lines: (x) => [
          {fd: 2, text: `${goTime(x.proc.now())} Server listening on port ${x.env.get('PORT') ?? '8080'}`},
        ],
        port: (x) => Number(x.env.get('PORT') ?? 8080),
        memMiB: 4,
        http: (x) => text(200, `Hello, world!\nVersion: ${x.proc.version}.0\nHostname: ${x.proc.hostname}\n`),
        accessLog: (x, req, res, at) => (probeLine(req) ? undefined : `${goTime(at)} Serving request: ${req.path}`),
      }),
    },
  },
  kuard: {
    programs: {
      kuard: simpleHttp({
        lines: (x) =>
          [
            `${goTime(x.proc.now())} Starting kuard version: v${x.proc.version}`,
            `${goTime(x.proc.now())} **********************************************************************`,
            `${goTime(x.proc.now())} * WARNING: This server may expose sensitive`,
            `${goTime(x.proc.now())} * and secret information. Be careful.`,
            `${goTime(x.proc.now())} **********************************************************************`,
            `${goTime(x.proc.now())} Config: `,
            `${goTime(x.proc.now())} Serving on HTTP on :8080`,
          ].map((t) => ({fd: 2 as const, text: t})),
        port: () => 8080,
        memMiB: 8,
        http: (x, req) =>
          req.path.startsWith('/healthy') || req.path.startsWith('/ready')
            ? text(200, 'ok')
            : text(
                200,
                `<!doctype html>\n<html lang="en">\n<head><title>KUAR Demo</title></head>\n<body>\n<div id="root"></div>\n<script>var pageContext = {"hostname":"${x.proc.hostname}","addrs":["${x.proc.podIP}"],"version":"v${x.proc.version}"}</script>\n</body>\n</html>\n`,
                'text/html',
              ),
        accessLog: (x, req, res, at) => `${goTime(at)} ${req.clientIP ?? '127.0.0.1'} ${req.method} ${req.path}`,
      }),
    },
  },
  podinfo: {
    programs: {
      podinfo: simpleHttp({
        lines: (x) => {
          const j = (msg: string, extra = '') =>
            `{"level":"info","ts":"${isoMilli(x.proc.now()).replace('Z', 'Z')}","caller":"podinfo/main.go:153","msg":"${msg}"${extra}}`
          return [
            j(
              'Starting podinfo',
              `,"version":"${x.proc.version}","revision":"0000000000000000000000000000000000000000","port":"9898"`,
            ),
            j('Starting HTTP Server.', ',"addr":":9898"'),
          ].map((t) => ({fd: 1 as const, text: t}))
        },
        port: () => 9898,
        memMiB: 12,
        http: (x, req) => {
          if (req.path.startsWith('/healthz') || req.path.startsWith('/readyz'))
            return text(200, '{\n  "status": "OK"\n}\n', 'application/json')
          if (/^\/status\/(\d{3})/.test(req.path)) {
            const code = Number(/^\/status\/(\d{3})/.exec(req.path)![1])
            return text(code, `{\n  "status": "${code}"\n}\n`, 'application/json')
          }
          return text(
            200,
            JSON.stringify(
              {
                hostname: x.proc.hostname,
                version: x.proc.version,
                revision: '0000000000000000000000000000000000000000',
                color: '#34577c',
                logo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
                message: `greetings from podinfo v${x.proc.version}`,
                goos: 'linux',
                goarch: 'amd64',
                runtime: 'go1.25.1',
                num_goroutine: '8',
                num_cpu: '2',
              },
              null,
              2,
            ) + '\n',
            'application/json',
          )
        },
      }),
    },
  },
  'hello-kubernetes': {
    programs: {
      node: simpleHttp({
        lines: (x) => [{fd: 1, text: `Listening on: http://${x.proc.hostname}:${x.env.get('PORT') ?? '8080'}`}],
        port: (x) => Number(x.env.get('PORT') ?? 8080),
        memMiB: 30,
        http: (x) =>
          text(
            200,
            `<!DOCTYPE html>\n<html>\n<head>\n    <title>Hello Kubernetes!</title>\n</head>\n<body>\n  <div class="main">\n    <div class="content">\n      <div id="message">\n  ${x.env.get('MESSAGE') ?? 'Hello world!'}\n</div>\n<div id="info">\n  <table>\n    <tr>\n      <th>pod:</th>\n      <td>${x.proc.hostname}</td>\n    </tr>\n    <tr>\n      <th>node:</th>\n      <td>${x.env.get('KUBERNETES_NODE_NAME') ?? '-'} (Linux ${'6.1.0-mkctl'})</td>\n    </tr>\n  </table>\n</div>\n    </div>\n  </div>\n</body>\n</html>\n`,
            'text/html',
          ),
      }),
    },
  },
  httpbin: {
    programs: {
      gunicorn: simpleHttp({
        lines: (x) => {
          const t = () => `[${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())} +0000]`
          return [
            `${t()} [1] [INFO] Starting gunicorn 19.9.0`,
            `${t()} [1] [INFO] Listening at: http://0.0.0.0:80 (1)`,
            `${t()} [1] [INFO] Using worker: gevent`,
            `${t()} [8] [INFO] Booting worker with pid: 8`,
          ].map((l) => ({fd: 2 as const, text: l}))
        },
        port: () => 80,
        memMiB: 45,
        http: (x, req) => {
          const path = req.path.split('?')[0]
          const st = /^\/status\/(\d{3})$/.exec(path)
          if (st) return text(Number(st[1]), '')
          if (path === '/ip')
            return text(200, `{\n  "origin": "${req.clientIP ?? '127.0.0.1'}"\n}\n`, 'application/json')
          if (path === '/headers')
            return text(200, JSON.stringify({headers: req.headers ?? {}}, null, 2) + '\n', 'application/json')
          if (path === '/get')
            return text(
              200,
              JSON.stringify(
                {
                  args: {},
                  headers: req.headers ?? {},
                  origin: req.clientIP ?? '127.0.0.1',
                  url: `http://${req.host ?? x.proc.podIP}${req.path}`,
                },
                null,
                2,
              ) + '\n',
              'application/json',
            )
          if (path === '/')
            return text(
              200,
              '<!DOCTYPE html>\n<html lang="en">\n<head><title>httpbin.org</title></head>\n<body></body>\n</html>\n',
              'text/html',
            )
          return text(
            404,
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n',
            'text/html',
          )
        },
      }),
    },
  },
  stress: {programs: {stress}},
  jenkins: {
    programs: {
      '/usr/bin/tini': passThrough,
      tini: passThrough,
      'jenkins.sh': simpleHttp({
        lines: (x) => {
          const t = () =>
            `${strftime('%Y-%m-%d %H:%M:%S', x.proc.now())}.${String(Math.floor(x.proc.now()) % 1000).padStart(3, '0')}+0000`
          return [
            `Running from: /usr/share/jenkins/jenkins.war`,
            `webroot: /var/jenkins_home/war`,
            `${t()} [id=1]\tINFO\twinstone.Logger#logInternal: Beginning extraction from war file`,
            `${t()} [id=1]\tINFO\torg.eclipse.jetty.server.Server#doStart: jetty-12.0.25; built: 2025-08-11T23:52:37.219Z; git: 0000000000000000000000000000000000000000; jvm 21.0.8+9-LTS`,
            `${t()} [id=1]\tINFO\to.e.j.s.h.ContextHandler#doStart: Started oeje10w.JettyWebAppContext@00000000{Jenkins v${x.proc.version},/,b=file:///var/jenkins_home/war/,a=AVAILABLE,h=oeje10s.SessionHandler@00000000{STARTED}}`,
            `${t()} [id=1]\tINFO\to.e.j.server.AbstractConnector#doStart: Started ServerConnector@00000000{HTTP/1.1, (http/1.1)}{0.0.0.0:8080}`,
            `${t()} [id=32]\tINFO\thudson.lifecycle.Lifecycle#onReady: Jenkins is fully up and running`,
          ].map((l) => ({fd: 1 as const, text: l}))
        },
        startMs: 15000,
        port: () => 8080,
        memMiB: 400,
        http: (x, req) =>
          req.path.startsWith('/login')
            ? text(200, '<!DOCTYPE html><html><head><title>Sign in [Jenkins]</title></head></html>', 'text/html')
            : text(
                403,
                "<html><head><meta http-equiv='refresh' content='1;url=/login?from=%2F'/></head></html>",
                'text/html',
              ),
        more: () => [{port: 50000, protocol: 'tcp'}],
      }),
    },
  },
  coredns: {
    programs: {
      coredns: simpleHttp({
        lines: (x) =>
          [
            '.:53',
            '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
            `CoreDNS-${x.proc.version}`,
            'linux/amd64, go1.23.3, 0000000',
          ].map((t) => ({fd: 1 as const, text: t})),
        port: () => 8080,
        memMiB: 20,
        http: () => text(200, 'OK'),
        more: () => [
          {port: 53, protocol: 'tcp'},
          {port: 8181, protocol: 'http', http: () => text(200, 'OK')},
          {
            port: 9153,
            protocol: 'http',
            http: () =>
              text(
                200,
                "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n",
              ),
          },
        ],
      }),
    },
  },
  'kube-component': {programs: {}, main: foreverQuiet},
  'ingress-nginx': {
    programs: {
      'dumb-init': passThrough,
      '/usr/bin/dumb-init': passThrough,
      'nginx-ingress-controller': simpleHttp({
        lines: (x) =>
          [
            '-------------------------------------------------------------------------------',
            'NGINX Ingress controller',
            `  Release:       v${x.proc.version}`,
            '  Build:         0000000000000000000000000000000000000000',
            '  Repository:    https://github.com/kubernetes/ingress-nginx',
            '  nginx version: nginx/1.27.1',
            '',
            '-------------------------------------------------------------------------------',
            '',
          ].map((t) => ({fd: 1 as const, text: t})),
        port: () => 80,
        memMiB: 90,
        http: () => text(404, nginxError(404, '', 'Not Found').replace('nginx/', 'nginx'), 'text/html'),
        more: () => [
          {port: 443, protocol: 'tcp'},
          {port: 10254, protocol: 'http', http: () => text(200, 'ok')},
          {port: 8443, protocol: 'tcp'},
        ],
      }),
    },
  },
  app: {programs: {}, main: appProgram},
}

/** programFor finds an image's executable: its profile's own programs, then (with a userland) the utilities. */
export function programFor(profile: Profile, hasShell: boolean, name: string): Program | undefined {
  const base = name.split('/').pop() ?? name
  return profile.programs[name] ?? profile.programs[base] ?? (hasShell ? UTILS[base] : undefined)
}

export {shellProgram}
