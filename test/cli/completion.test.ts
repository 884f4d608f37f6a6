// completion.test.ts checks shell completion: the __complete engine against the real kubectl's `__complete` on the
// same daemon (differential), the bash script driven through a real bash with COMP_WORDS/COMP_CWORD, the other
// scripts' syntax (when their shells are installed), and that completion never starts a cluster.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  complete,
  commandTree,
  directiveName,
  formatResult,
  outputFormats,
  type Live,
} from '../../src/cli/help/complete.js'
import {completionScript} from '../../src/cli/help/scripts.js'
import {ensureBuilt} from '../helpers/build.js'
import {kubectlAvailable, run, startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..')
const hasShell = (sh: string) => spawnSync('sh', ['-c', `command -v ${sh}`]).status === 0
/** shellQuote quotes a word for sh, zsh and fish alike (single quotes; a quote inside closes, escapes, reopens). */
const shellQuote = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`

describe('completion engine (static)', () => {
  const fakeLive: Live = {
    resourceTypes: async () => ['pods', 'podtemplates', 'services', 'deployments.apps'],
    names: async (type) =>
      type === 'pods' || type === 'pod' ? ['web-1', 'web-2'] : type === 'namespace' ? ['default', 'team-a'] : [],
    containers: async () => ['app'],
    contexts: async () => ['one', 'two'],
    clusters: async () => [],
    users: async () => [],
  }
  const tree = commandTree({})
  tree.set('get', {
    id: 'get',
    summary: 'Display one or many resources',
    hidden: false,
    flags: [
      {
        name: 'output',
        char: 'o',
        summary: 'Output format. One of: (json, yaml, wide).',
        value: true,
        multiple: false,
        required: false,
        hidden: false,
      },
      {name: 'watch', char: 'w', summary: 'watch', value: false, multiple: false, required: false, hidden: false},
    ],
  })
  const globals = [
    {name: 'namespace', char: 'n', summary: 'ns', value: true, multiple: false, required: false, hidden: false},
  ]
  const c = (...argv: string[]) => complete(argv, {tree, globals, live: () => fakeLive})

  it('completes types, names, type/name, flag values and flag names as kubectl does', async () => {
    assert.deepEqual(await c('get', 'po'), {candidates: ['pods', 'podtemplates'], directive: 4})
    assert.deepEqual(await c('get', 'pods', ''), {candidates: ['web-1', 'web-2'], directive: 4})
    assert.deepEqual(await c('get', 'pods', 'web-1', ''), {candidates: ['web-2'], directive: 4})
    assert.deepEqual(await c('get', 'pods/w'), {candidates: ['pods/web-1', 'pods/web-2'], directive: 4})
    assert.deepEqual(await c('get', 'pods,se'), {candidates: ['pods,services'], directive: 4})
    assert.deepEqual(await c('get', '-n', 't'), {candidates: ['team-a'], directive: 4})
    assert.deepEqual(await c('get', '--namespace=t'), {candidates: ['team-a'], directive: 4})
    assert.deepEqual(await c('get', '-o', 'y'), {candidates: ['yaml'], directive: 4})
    assert.deepEqual(await c('get', '--w'), {candidates: ['--watch\twatch'], directive: 4})
    assert.deepEqual(await c('get', '--bogus', ''), {
      candidates: [],
      directive: 0,
      debug: '[Debug] [Error] unknown flag: --bogus',
    })
    assert.deepEqual(await c('g'), {candidates: ['get\tDisplay one or many resources'], directive: 4})
  })

  it('renders cobra output and directive names', () => {
    assert.equal(formatResult({candidates: ['a\tdesc', 'b'], directive: 6}, false), 'a\nb\n:6\n')
    assert.equal(formatResult({candidates: ['a\tdesc'], directive: 4}, true), 'a\tdesc\n:4\n')
    assert.equal(directiveName(6), 'ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp')
    assert.equal(directiveName(0), 'ShellCompDirectiveDefault')
    assert.deepEqual(outputFormats('Output format. One of: (json, yaml, name, wide).'), [
      'json',
      'yaml',
      'name',
      'wide',
    ])
  })
})

describe('completion against a daemon', function () {
  let d: TestDaemon
  let bin: string
  before(async function () {
    this.timeout(180_000)
    ensureBuilt()
    d = await startTestDaemon()
    await d.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await d.kubectl(['create', 'namespace', 'team-a'])
    await d.kubectl(['run', 'solo', '--image=busybox', '-n', 'team-a'])
    await d.settle()
    // `mkctl` on PATH for the scripts, which call back the program named in the command line
    bin = mkdtempSync(join(tmpdir(), 'mkctl-compl-'))
    writeFileSync(join(bin, 'mkctl'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'mkctl.js')}" "$@"\n`)
    chmodSync(join(bin, 'mkctl'), 0o755)
  })
  after(async () => {
    await d?.stop()
    if (bin) rmSync(bin, {recursive: true, force: true})
  })

  const env = () => ({KUBECONFIG: d.kubeconfig, MKCTL_HOME: d.home, HOME: d.home, KUBECACHEDIR: join(d.home, 'cache')})

  // kubectl's `__complete` output for cases where mkctl has the same commands and flags (descriptions compared too).
  const cases: string[][] = [
    ['get', 'po'],
    ['get', 'pods', ''],
    ['get', 'pods', '-n', 'team-a', ''],
    ['-n', 'team-a', 'get', 'pods', ''],
    ['get', 'pods/'],
    ['get', 'deploy,po'],
    ['get', 'pods,deploy', ''],
    ['get', ''],
    ['get', '-n', ''],
    ['get', '--namespace=te'],
    ['get', 'pods', '-o', 'j'],
    ['describe', 'no'],
    ['get', 'nodes', ''],
    ['logs', ''],
    ['exec', 'solo', '-n', 'team-a', '-c', ''],
    ['scale', ''],
    ['rollout', 'status', ''],
    ['cordon', ''],
    ['completion', ''],
    ['--context', ''],
    ['rollout', ''],
    ['g'],
  ]
  for (const args of cases) {
    it(`__complete ${args.map((a) => (a === '' ? "''" : a)).join(' ')} matches kubectl`, async function () {
      if (!kubectlAvailable()) this.skip()
      const k = await run('kubectl', ['__complete', ...args], {env: env()})
      const m = await d.mkctl(['__complete', ...args], {env: env()})
      // kubectl lists `completion`'s shells from a Go map, in random order
      const norm = (s: string) => (args[0] === 'completion' ? s.split('\n').sort().join('\n') : s)
      assert.equal(norm(m.stdout), norm(k.stdout))
      assert.equal(m.stderr, k.stderr)
      assert.equal(m.code, k.code)
    })
  }

  it('__completeNoDesc drops descriptions', async () => {
    const m = await d.mkctl(['__completeNoDesc', 'g'], {env: env()})
    assert.equal(m.stdout, 'get\n:4\n')
  })

  // async: the daemon runs in this process and must keep serving while bash calls mkctl
  const bash = (words: string[]) =>
    run(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source <(mkctl completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
__mkctl_complete 2>/dev/null
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {env: {...env(), PATH: `${bin}:${process.env.PATH}`}},
    )

  it('bash: mkctl get po<TAB> completes to pods and the other types with that prefix', async () => {
    const r = await bash(['mkctl', 'get', 'po'])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(r.stdout.trim().split('\n'), ['pods', 'podtemplates', 'poddisruptionbudgets.policy'])
  })

  it('bash: mkctl get pods <TAB> lists the live pod names', async () => {
    const r = await bash(['mkctl', 'get', 'pods', ''])
    const names = r.stdout.trim().split('\n')
    assert.equal(names.length, 2)
    for (const n of names) assert.match(n, /^web-[a-z0-9]+-[a-z0-9]+$/)
    assert.deepEqual((await bash(['mkctl', '-n', 'team-a', 'get', 'pods', ''])).stdout, 'solo\n')
    // --flag=value: bash splits at "=", the script completes the value part
    const line = 'mkctl get --namespace=te'
    const r2 = await run(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source <(mkctl completion bash)
COMP_LINE='${line}'; COMP_POINT=${line.length}; COMP_WORDS=(mkctl get --namespace = te); COMP_CWORD=4
__mkctl_complete 2>/dev/null
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {env: {...env(), PATH: `${bin}:${process.env.PATH}`}},
    )
    assert.equal(r2.stdout, 'team-a\n')
  })

  // fish: `complete -C LINE` prints what fish would offer for LINE, through the sourced script
  const fish = (line: string) =>
    run('fish', ['--no-config', '-c', `mkctl completion fish | source; complete -C ${shellQuote(line)}`], {
      env: {...env(), PATH: `${bin}:${process.env.PATH}`},
    })

  it('fish: mkctl get po<TAB> and mkctl get pods <TAB> complete types and live names', async function () {
    if (!hasShell('fish')) {
      console.log("      (skipped: fish is not installed; npm test's pretest installs it with apt-get)")
      this.skip()
    }
    const types = await fish('mkctl get po')
    assert.equal(types.code, 0, types.stderr)
    assert.deepEqual(types.stdout.trim().split('\n').sort(), ['poddisruptionbudgets.policy', 'pods', 'podtemplates'])
    const names = (await fish('mkctl get pods ')).stdout.trim().split('\n')
    assert.equal(names.length, 2)
    for (const n of names) assert.match(n, /^web-[a-z0-9]+-[a-z0-9]+$/)
    assert.equal((await fish('mkctl -n team-a get pods ')).stdout, 'solo\n')
  })

  // zsh: the script's _mkctl runs with the words and CURRENT the completion system would set; _describe, which
  // would hand the candidates to the line editor, prints them instead
  const zsh = (words: string[]) =>
    run(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -U compinit; compinit -u 2>/dev/null
source <(mkctl completion zsh)
_describe() { local name=\${@[-1]}; local c; for c in \${(P)name}; do print -r -- "\${c%%:*}"; done }
words=(${words.map(shellQuote).join(' ')}); CURRENT=${words.length}
_mkctl`,
      ],
      {env: {...env(), PATH: `${bin}:${process.env.PATH}`}},
    )

  it('zsh: mkctl get po<TAB> and mkctl get pods <TAB> complete types and live names', async function () {
    if (!hasShell('zsh')) {
      console.log("      (skipped: zsh is not installed; npm test's pretest installs it with apt-get)")
      this.skip()
    }
    const types = await zsh(['mkctl', 'get', 'po'])
    assert.equal(types.code, 0, types.stderr)
    assert.deepEqual(types.stdout.trim().split('\n'), ['pods', 'podtemplates', 'poddisruptionbudgets.policy'])
    const names = (await zsh(['mkctl', 'get', 'pods', ''])).stdout.trim().split('\n')
    assert.equal(names.length, 2)
    for (const n of names) assert.match(n, /^web-[a-z0-9]+-[a-z0-9]+$/)
    assert.equal((await zsh(['mkctl', '-n', 'team-a', 'get', 'pods', ''])).stdout, 'solo\n')
  })

  it('does not start a cluster: without a daemon only static candidates remain', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mkctl-compl-home-'))
    try {
      const e = {MKCTL_HOME: home, HOME: home, KUBECONFIG: ''}
      const r = await run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), '__complete', 'get', 'pods', ''], {env: e})
      assert.equal(r.stdout, ':4\n')
      const verbs = await run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), '__completeNoDesc', 'clu'], {env: e})
      assert.equal(verbs.stdout, 'cluster\ncluster-info\n:4\n')
      assert.equal(existsSync(join(home, 'profiles')), false, 'no profile was created')
      assert.equal(existsSync(join(home, 'kubeconfig')), false, 'no kubeconfig was written')
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})

describe('completion scripts', () => {
  it('bash script parses (bash -n)', () => {
    const r = spawnSync('bash', ['-n'], {input: completionScript('bash'), encoding: 'utf8'})
    assert.equal(r.status, 0, r.stderr)
  })
  for (const [shell, cmd, args] of [
    ['zsh', 'zsh', ['-n']],
    ['fish', 'fish', ['-n']],
    ['powershell', 'pwsh', ['-NoProfile', '-Command', '-']],
  ] as const) {
    it(`${shell} script parses`, function () {
      if (!hasShell(cmd)) {
        console.log(`      (skipped: ${cmd} is not installed)`)
        this.skip()
      }
      const dir = mkdtempSync(join(tmpdir(), 'mkctl-compl-sh-'))
      try {
        mkdirSync(dir, {recursive: true})
        const file = join(dir, `script.${shell}`)
        writeFileSync(file, completionScript(shell))
        const r =
          shell === 'powershell'
            ? spawnSync(cmd, [...args], {
                input: `$e=$null; [System.Management.Automation.Language.Parser]::ParseFile('${file}',[ref]$null,[ref]$e) | Out-Null; if ($e.Count) { $e; exit 1 }`,
                encoding: 'utf8',
              })
            : spawnSync(cmd, [...args, file], {encoding: 'utf8'})
        assert.equal(r.status, 0, r.stderr + r.stdout)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })
  }
})
