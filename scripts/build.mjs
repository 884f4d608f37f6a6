// build.mjs builds dist/: the CLI as one esbuild bundle (fast start, see docs/architecture.md),
// the daemon as one ESM bundle with better-sqlite3 (native) and just-bash (lazy modules) left external, and the OpenAPI documents
// generated from kubernetes-types. Runs on `npm install` (prepare) and before tests and benchmarks.
import {build} from 'esbuild'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
mkdirSync(dist, {recursive: true})

const common = {bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: false, write: false}

// Bundles are written to a temporary file and renamed, so a CLI or daemon starting during a rebuild (tests run
// them concurrently) never loads a half-written file.
async function bundle(options, transform = (c) => c) {
  const result = await build({...common, ...options})
  for (const f of result.outputFiles) writeAtomic(f.path, transform(f.contents))
}

function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, contents)
  renameSync(tmp, path)
}
// startupShims trims what oclif does at every start, without changing what mkctl prints:
// - `debug` (used only by oclif's logger) becomes a stand-in that loads the real package only when DEBUG is set:
//   without DEBUG no debug namespace is ever enabled, and loading it (tty, supports-color) costs start-up;
// - `tinyglobby` (with fdir and picomatch) serves only oclif's `pattern` command discovery, which mkctl does not use:
//   it loads on first use instead of at start-up;
// - oclif sorts the command list with String#localeCompare, whose first call builds an ICU collator (~10 ms).
//   Command ids are lower-case letters, digits, `-` and `:`, which ICU orders as code points do, so a plain
//   comparison gives the same order;
// - oclif's index checks the Node version against package.json's engines with semver (loading semver and reading
//   package.json again); src/cli/bundle-entry.ts makes the same check with the package.json built into the bundle.
const startupShims = {
  name: 'mkctl-startup-shims',
  setup(b) {
    b.onResolve({filter: /^tinyglobby$/}, () => ({path: 'tinyglobby', namespace: 'mkctl-shim'}))
    b.onLoad({filter: /^tinyglobby$/, namespace: 'mkctl-shim'}, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `
let real
const load = () => (real ??= require('./node_modules/tinyglobby/dist/index.cjs'))
for (const name of ['convertPathToPattern', 'escapePath', 'glob', 'globSync', 'isDynamicPattern']) {
  exports[name] = (...args) => load()[name](...args)
}
`,
    }))
    const patches = [
      {
        file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
        from: '.sort((a, b) => a.id.localeCompare(b.id));',
        to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
      },
      {
        // ansis's strip() has the raw C1 character U+009B in a regex literal, the bundle's one non-ASCII character:
        // it would make V8 hold the whole bundle as a two-byte string. The escape matches the same character.
        file: /ansis[\\/]index\.js$/,
        from: '/[\x1b\u009b]',
        to: '/[\\x1b\\x9b]',
      },
      {
        file: /@oclif[\\/]core[\\/]lib[\\/]index\.js$/,
        from: '\ncheckNodeVersion();\n',
        to: '\n',
      },
    ]
    for (const p of patches) {
      b.onLoad({filter: p.file}, (args) => {
        const text = readFileSync(args.path, 'utf8')
        if (!text.includes(p.from)) {
          return {warnings: [{text: `start-up patch not applied (oclif changed?): ${p.from}`}]}
        }
        return {contents: text.replace(p.from, p.to), loader: 'js'}
      })
    }
    // Node built-ins that a plain command never uses but that modules import at their top (oclif's parser imports
    // readline for stdin flags, its performance module perf_hooks, the cluster code child_process; crypto serves the
    // session id of the first request only) load on first use: each stands for a dozen internal modules to compile.
    b.onResolve({filter: /^(node:)?(readline|perf_hooks|child_process|crypto)$/}, (args) => ({
      path: args.path.replace(/^node:/, ''),
      namespace: 'mkctl-lazy-builtin',
    }))
    b.onLoad({filter: /.*/, namespace: 'mkctl-lazy-builtin'}, (args) => ({
      loader: 'js',
      contents: `
let real
const load = () => (real ??= process.getBuiltinModule(${JSON.stringify('node:' + args.path)}))
module.exports = new Proxy({}, {
  get: (_, k) => (k === '__esModule' ? undefined : load()[k]),
  set: (_, k, v) => ((load()[k] = v), true),
  has: (_, k) => k in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, k) => {
    const d = Reflect.getOwnPropertyDescriptor(load(), k)
    return d && {...d, configurable: true}
  },
  getPrototypeOf: () => Object.getPrototypeOf(load()),
})
`,
    }))
    b.onResolve({filter: /^debug$/}, () => ({path: 'debug', namespace: 'mkctl-shim'}))
    b.onLoad({filter: /^debug$/, namespace: 'mkctl-shim'}, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `
function disabled(namespace) {
  const d = function debug() {}
  d.namespace = namespace
  d.enabled = false
  d.useColors = false
  d.diff = 0
  d.log = function () {}
  d.destroy = function () { return false }
  d.extend = function (ns, delimiter) { return disabled(namespace + (delimiter === undefined ? ':' : delimiter) + ns) }
  return d
}
disabled.enabled = function () { return false }
disabled.enable = function () {}
disabled.disable = function () { return '' }
disabled.names = []
disabled.skips = []
disabled.formatters = {}
module.exports = process.env.DEBUG ? require('./node_modules/debug/src/index.js') : disabled
`,
    }))
  },
}

// lazyCommands gives the CLI bundle a command table whose command modules evaluate when their command is looked up:
// src/cli/startup/lazy-commands.ts (the eager table of commands-index.ts) is replaced by a module generated from
// commands-index.ts and its command groups (src/cli/startup/command-table.ts reads them as text). Without it every
// start evaluated all ~150 command modules and their flag tables. When the table cannot be read the build warns and
// keeps the eager table.
async function lazyCommands() {
  const {outputFiles} = await build({
    entryPoints: [join(root, 'src/cli/startup/command-table.ts')],
    bundle: false,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  })
  const {commandTable, lazyModuleSource} = await import(
    `data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString('base64')}`
  )
  return {
    name: 'mkctl-lazy-commands',
    setup(b) {
      b.onLoad({filter: /[\\/]src[\\/]cli[\\/]startup[\\/]lazy-commands\.ts$/}, () => {
        const table = commandTable(join(root, 'src/cli/commands-index.ts'))
        if (table.error) {
          return {
            warnings: [{text: `lazy command table not generated (every command evaluates at start): ${table.error}`}],
          }
        }
        return {contents: lazyModuleSource(table.entries), loader: 'js', resolveDir: root, watchFiles: table.files}
      })
    },
  }
}

// WARMUP is the warm-up program (CommonJS, run with `node -e`; argv: bundle, cache file, scratch MKCTL_HOME). It
// loads the bundle exactly as bin/mkctl.js does (the cache is only valid for the same source text), serves
// discovery and a pod Table over plain HTTP on 127.0.0.1, and runs mkctl's main() on each command line in turn.
const WARMUP = String.raw`
const fs = require('node:fs'), http = require('node:http'), path = require('node:path')
const vm = require('node:vm'), Module = require('node:module')
const [bundle, out, home] = process.argv.slice(1)
const json = (res, code, body) => {
  res.writeHead(code, {'Content-Type': 'application/json'})
  res.end(JSON.stringify(body))
}
const col = (name, priority, format = '') => ({name, type: 'string', format, description: name, priority})
const row = (name, ns) => ({
  cells: [name, '1/1', 'Running', '0', '5m', '10.244.0.2', 'node-1', '<none>', '<none>'],
  object: {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1',
    metadata: {name, namespace: ns, uid: '0', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z'}},
})
const routes = {
  '/api': {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1'}]},
  '/apis': {kind: 'APIGroupList', apiVersion: 'v1', groups: []},
  '/api/v1': {kind: 'APIResourceList', groupVersion: 'v1', resources: [{name: 'pods', singularName: 'pod', namespaced: true,
    kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all']}]},
  '/api/v1/pods': {kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {resourceVersion: '1'},
    columnDefinitions: [col('Name', 0, 'name'), col('Ready', 0), col('Status', 0), col('Restarts', 0), col('Age', 0),
      col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)],
    rows: [row('web-1', 'default'), row('coredns-1', 'kube-system')]},
}
const server = http.createServer((req, res) => {
  const body = routes[new URL(req.url, 'http://x').pathname]
  if (body) json(res, 200, body)
  else json(res, 404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404})
})
server.listen(0, '127.0.0.1', async () => {
  const server_ = 'http://127.0.0.1:' + server.address().port
  const kubeconfig = path.join(home, 'kubeconfig')
  fs.writeFileSync(kubeconfig, ['apiVersion: v1', 'clusters:', '- cluster:', '    server: ' + server_, '  name: warm-up',
    'contexts:', '- context:', '    cluster: warm-up', '    namespace: default', '    user: warm-up', '  name: warm-up',
    'current-context: warm-up', 'kind: Config', 'preferences: {}', 'users:', '- name: warm-up', '  user:',
    '    token: warm-up', ''].join('\n'))
  Object.assign(process.env, {MKCTL_HOME: home, KUBECONFIG: kubeconfig, MKCTL_AUTOSTART: '0'})
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), {
    filename: bundle,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const mod = new Module(bundle, undefined)
  mod.filename = bundle
  mod.paths = Module._nodeModulePaths(path.dirname(bundle))
  Module._cache[bundle] = mod
  script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle))
  for (const argv of [['version', '--client'], ['get', 'pods', '-A'], ['get', 'pods', '-A'], ['get', '--help']]) {
    process.exitCode = 0
    await mod.exports.main(argv)
    // a failing command still compiled most of the start-up path: keep the cache, but say so
    if (process.exitCode) process.stderr.write('mkctl ' + argv.join(' ') + ' exited ' + process.exitCode + '\n')
  }
  fs.writeFileSync(out, script.createCachedData())
  process.exit(0)
})
`

// DAEMON_WARMUP starts the new daemon bundle on a scratch profile (a fresh one: certificates and bootstrap run
// too), sends it a few requests kubectl sends first, and saves the code cache. argv: bundle, cache file, scratch dir.
const DAEMON_WARMUP = String.raw`
const fs = require('node:fs'), path = require('node:path'), https = require('node:https')
const vm = require('node:vm'), Module = require('node:module')
const [bundle, out, home] = process.argv.slice(1)
const dir = path.join(home, 'profile')
fs.mkdirSync(dir)
fs.writeFileSync(path.join(dir, 'token'), 'warm-up')
fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({name: 'mkctl'}))
process.argv = [process.argv[0], bundle, '--profile-dir', dir]
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), {
  filename: bundle,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
})
const mod = new Module(bundle, undefined)
mod.filename = bundle
mod.paths = Module._nodeModulePaths(path.dirname(bundle))
Module._cache[bundle] = mod
script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle))
const get = (url, p, accept) => new Promise((resolve, reject) => {
  const req = https.get(url + p, {ca: fs.readFileSync(path.join(dir, 'ca.crt')), headers: {Authorization: 'Bearer warm-up', Accept: accept}}, (res) => {
    res.resume()
    res.on('end', resolve)
  })
  req.on('error', reject)
})
const wait = setInterval(async () => {
  if (!fs.existsSync(path.join(dir, 'daemon.json'))) return
  clearInterval(wait)
  const {url} = JSON.parse(fs.readFileSync(path.join(dir, 'daemon.json'), 'utf8'))
  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'
  for (const [p, accept] of [['/version', 'application/json'], ['/api/v1/nodes', 'application/json'], ['/api/v1/pods', table], ['/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList']]) {
    await get(url, p, accept)
  }
  fs.writeFileSync(out, script.createCachedData())
  process.exit(0)
}, 10)
`

const jobs = []

const cliEntry = join(root, 'src/cli/bundle-entry.ts')
const cliOut = join(dist, 'mkctl.cjs')
let cliBuildId
if (existsSync(cliEntry)) {
  jobs.push(
    bundle(
      {
        entryPoints: [cliEntry],
        outfile: cliOut,
        format: 'cjs',
        // oclif's tsconfig reader requires typescript lazily; bundling it would add 10 MB.
        external: ['typescript'],
        define: {'import.meta.url': 'importMetaUrl'},
        banner: {js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
        plugins: [startupShims, await lazyCommands()],
        minifyWhitespace: true,
        minifySyntax: true,
        charset: 'ascii',
      },
      // The first line names the build; bin/mkctl.js loads the V8 code cache of that build only.
      (contents) => {
        cliBuildId = createHash('sha256').update(contents).digest('hex').slice(0, 16)
        return Buffer.concat([Buffer.from(`// mkctl-build ${cliBuildId}\n`), contents])
      },
    ),
  )
}

const daemonEntry = join(root, 'src/daemon/entry.ts')
const daemonOut = join(dist, 'mkctld.cjs')
let daemonBuildId
if (existsSync(daemonEntry)) {
  jobs.push(
    bundle(
      {
        entryPoints: [daemonEntry],
        outfile: daemonOut,
        format: 'cjs',
        // just-bash stays a package too: it loads its command modules and WebAssembly files lazily from its own folder.
        external: ['better-sqlite3', 'just-bash'],
        define: {'import.meta.url': 'importMetaUrl'},
        banner: {js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
        // V8 keeps the source text for the daemon's lifetime: without comments (some not ASCII, which would make it
        // a two-byte string) it is a one-byte string of about half the size, ~4 MiB less resident memory.
        minifyWhitespace: true,
        minifySyntax: true,
        charset: 'ascii',
      },
      (contents) => {
        daemonBuildId = createHash('sha256').update(contents).digest('hex').slice(0, 16)
        return Buffer.concat([Buffer.from(`// mkctl-build ${daemonBuildId}\n`), contents])
      },
    ),
  )
}

// The lab engine (grading replays sessions into in-process clusters) is its own bundle: it holds the daemon, whose
// native better-sqlite3 must stay a package, and `mkctl lab grade` loads it only when it runs.
const labEntry = join(root, 'src/lab/index.ts')
if (existsSync(labEntry)) {
  jobs.push(
    bundle({
      entryPoints: [labEntry],
      outfile: join(dist, 'mkctl-lab.cjs'),
      format: 'cjs',
      external: ['better-sqlite3', 'just-bash', 'typescript'],
      define: {'import.meta.url': 'importMetaUrl'},
      banner: {js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
    }),
  )
}

await Promise.all(jobs)

rmSync(join(dist, 'mkctld.mjs'), {force: true}) // the daemon's bundle before it became CommonJS
if (cliBuildId) writeCodeCache(cliOut, cliBuildId, WARMUP)
if (daemonBuildId) writeCodeCache(daemonOut, daemonBuildId, DAEMON_WARMUP, {quiet: true})

// writeCodeCache runs the new CLI bundle once in a child process on a few commands (a version, and `get pods` twice
// against a tiny local stand-in API server, the second time from the discovery disk cache) and saves V8's code cache
// of everything that compiled as dist/mkctl.cjs.<build id>.v8cache, which bin/mkctl.js hands to V8: a start then
// neither parses the whole bundle nor compiles its start-up functions again. Without the cache mkctl still works.
function writeCodeCache(bundlePath, id, warmup, {quiet = false} = {}) {
  const base = bundlePath.slice(dist.length + 1)
  for (const f of readdirSync(dist)) {
    if (f.startsWith(`${base}.`) && f.endsWith('.v8cache') && f !== `${base}.${id}.v8cache`)
      rmSync(join(dist, f), {force: true})
  }
  const out = join(dist, `${base}.${id}.v8cache`)
  const home = mkdtempSync(join(tmpdir(), 'mkctl-warmup-'))
  const tmp = `${out}.${process.pid}.tmp`
  try {
    const r = spawnSync(process.execPath, ['-e', warmup, bundlePath, tmp, home], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    })
    if (r.status !== 0) {
      process.stderr.write(`build: no V8 code cache for ${base} (warm-up failed): ${r.stderr || r.error}\n`)
      rmSync(tmp, {force: true})
      return
    }
    // The daemon logs to stderr as it runs; only the CLI's warm-up output is a warning worth showing.
    if (r.stderr && !quiet) process.stderr.write(`build: ${base} warm-up for the V8 code cache: ${r.stderr}`)
    renameSync(tmp, out)
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}

const openapiGen = join(root, 'scripts/gen-openapi.mjs')
if (existsSync(openapiGen)) {
  await import(openapiGen)
}
