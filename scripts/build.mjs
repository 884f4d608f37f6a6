// build.mjs builds dist/: the CLI as one esbuild bundle (fast start, see docs/architecture.md),
// the daemon as one ESM bundle with the native better-sqlite3 left external, and the OpenAPI documents
// generated from kubernetes-types. Runs on `npm install` (prepare) and before tests and benchmarks.
import {build} from 'esbuild'
import {existsSync, mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
mkdirSync(dist, {recursive: true})

const common = {bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: false, write: false}

// Bundles are written to a temporary file and renamed, so a CLI or daemon starting during a rebuild (tests run
// them concurrently) never loads a half-written file.
async function bundle(options) {
  const result = await build({...common, ...options})
  for (const f of result.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`
    writeFileSync(tmp, f.contents)
    renameSync(tmp, f.path)
  }
}
const jobs = []

const cliEntry = join(root, 'src/cli/bundle-entry.ts')
if (existsSync(cliEntry)) {
  jobs.push(
    bundle({
      entryPoints: [cliEntry],
      outfile: join(dist, 'mkctl.cjs'),
      format: 'cjs',
      // oclif's tsconfig reader requires typescript lazily; bundling it would add 10 MB.
      external: ['typescript'],
      define: {'import.meta.url': 'importMetaUrl'},
      banner: {js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
    }),
  )
}

const daemonEntry = join(root, 'src/daemon/entry.ts')
if (existsSync(daemonEntry)) {
  jobs.push(
    bundle({
      entryPoints: [daemonEntry],
      outfile: join(dist, 'mkctld.mjs'),
      format: 'esm',
      external: ['better-sqlite3'],
      banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
    }),
  )
}

await Promise.all(jobs)

const openapiGen = join(root, 'scripts/gen-openapi.mjs')
if (existsSync(openapiGen)) {
  await import(openapiGen)
}
