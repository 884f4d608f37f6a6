#!/usr/bin/env node
// mkctl's entry: load the single-file bundle (fast start, libraries.md §1) and run it. The bundle's main() does
// the kubectl-style argv pre-pass (global flags before the verb, -h, unknown commands) before handing over to oclif.
//
// The bundle is compiled through vm.Script with the V8 code cache that scripts/build.mjs wrote next to it (Node 20
// has no module.enableCompileCache). The cache holds the bytecode of every function a warm-up run compiled, so a
// start neither parses the whole bundle nor compiles its start-up path. The cache file is named after the build id
// in the bundle's first line, so a rebuilt bundle never meets a stale cache (V8 itself checks only the source
// length). V8 rejects a cache made by another Node version or with other V8 flags; the bundle then compiles as usual.
//
// Builtins come from process.getBuiltinModule rather than `import`: each imported builtin costs this ESM entry a
// module facade at start-up.
const fs = process.getBuiltinModule('node:fs')
const path = process.getBuiltinModule('node:path')
const vm = process.getBuiltinModule('node:vm')
const Module = process.getBuiltinModule('node:module')
const {fileURLToPath} = process.getBuiltinModule('node:url')

const bundle = fileURLToPath(new URL('../dist/mkctl.cjs', import.meta.url))
let source
try {
  source = fs.readFileSync(bundle, 'utf8')
} catch {
  process.stderr.write('mkctl: not built; run npm install\n')
  process.exit(1)
}

/**
 * loadBundle evaluates the bundle as the CommonJS module `bundle` and returns its exports. The module is put in
 * require.cache, so oclif's explicit command strategy, which requires the same file, gets this instance.
 */
function loadBundle() {
  const id = /^\/\/ mkctl-build ([0-9a-f]+)\n/.exec(source)?.[1]
  let cachedData
  if (id) {
    try {
      cachedData = fs.readFileSync(`${bundle}.${id}.v8cache`)
    } catch {
      // no cache (a build without the warm-up): compile from source
    }
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const mod = new Module(bundle, undefined)
  mod.filename = bundle
  mod.paths = Module._nodeModulePaths(path.dirname(bundle))
  Module._cache[bundle] = mod
  script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle))
  mod.loaded = true
  return mod.exports
}

loadBundle().main(process.argv.slice(2))
