// load-bundle.js evaluates one of mkctl's CommonJS bundles (dist/mkctl.cjs, dist/mkctld.cjs) through vm.Script with
// the V8 code cache that scripts/build.mjs wrote next to it (Node 20 has no module.enableCompileCache). The cache
// holds the bytecode of every function a warm-up run compiled, so a start neither parses the whole bundle nor
// compiles its start-up path. The cache file is named after the build id in the bundle's first line, so a rebuilt
// bundle never meets a stale cache (V8 itself checks only the source length). V8 rejects a cache made by another
// Node version or with other V8 flags; the bundle then compiles as usual.
//
// The files of bin/ are CommonJS (bin/package.json): Node runs a CommonJS main without starting its ES module loader
// (resolving, translating and linking module jobs), which cost a short command like `mkctl get pods` several ms.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const Module = require('node:module')
const {isAscii} = require('node:buffer')

/**
 * loadBundle evaluates the bundle file as a CommonJS module and returns its exports, or undefined when the file is
 * missing. The module is put in require.cache, so code that requires the same file (oclif's explicit command
 * strategy) gets this instance.
 */
function loadBundle(bundle) {
  let source
  try {
    // The bundles are ASCII (esbuild charset: 'ascii'): read as latin1 they skip UTF-8 decoding of 2 MB, and a
    // bundle that is not ASCII after all is still decoded as UTF-8.
    const bytes = fs.readFileSync(bundle)
    source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  } catch {
    return undefined
  }
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

module.exports = {loadBundle}
