// global.ts declares kubectl's persistent flags (`kubectl options`): cli-runtime genericclioptions.ConfigFlags, the
// klog flags kubectl registers (-v, --vmodule, --log-flush-frequency), kubectl's profiling flags (--profile,
// --profile-output), --match-server-version (cmdutil.MatchVersionFlags) and --warnings-as-errors (cmd.go). Every
// command inherits them as oclif baseFlags; `helpValue` is the default text `mkctl options` prints where it differs
// from the parsed default (pflag shows the Go default, mkctl leaves the flag undefined so "not given" stays visible).
import {Flags} from '@oclif/core'
import {join} from 'node:path'

/** kubectlCacheDir is the default kubectl prints for --cache-dir: $HOME/.kube/cache (client-go homedir.HomeDir). */
function kubectlCacheDir(): string {
  return join(process.env.HOME ?? '', '.kube', 'cache')
}

const G = 'GLOBAL'

/** globalFlags are kubectl's persistent flags, shared by every command. */
export const globalFlags = {
  as: Flags.string({
    summary:
      'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.',
    helpGroup: G,
  }),
  'as-group': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    summary: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
    helpGroup: G,
  }),
  'as-uid': Flags.string({summary: 'UID to impersonate for the operation.', helpGroup: G}),
  // mkctl's cache defaults to $MKCTL_HOME/cache (Factory.cacheDir); the help text is kubectl's.
  'cache-dir': Flags.string({summary: 'Default cache directory', helpGroup: G, helpValue: `'${kubectlCacheDir()}'`}),
  'certificate-authority': Flags.string({summary: 'Path to a cert file for the certificate authority', helpGroup: G}),
  'client-certificate': Flags.string({summary: 'Path to a client certificate file for TLS', helpGroup: G}),
  'client-key': Flags.string({summary: 'Path to a client key file for TLS', helpGroup: G}),
  cluster: Flags.string({summary: 'The name of the kubeconfig cluster to use', helpGroup: G}),
  context: Flags.string({summary: 'The name of the kubeconfig context to use', helpGroup: G}),
  // mkctl's REST client never asks for compressed responses, so opting out changes nothing.
  'disable-compression': Flags.boolean({
    summary: 'If true, opt-out of response compression for all requests to the server',
    helpGroup: G,
  }),
  'insecure-skip-tls-verify': Flags.boolean({
    summary:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
    helpGroup: G,
  }),
  kubeconfig: Flags.string({summary: 'Path to the kubeconfig file to use for CLI requests.', helpGroup: G}),
  // klog's flush interval: mkctl writes its log lines synchronously, so the value is checked and otherwise unused.
  'log-flush-frequency': Flags.string({
    summary: 'Maximum number of seconds between log flushes',
    helpGroup: G,
    helpValue: '5s',
  }),
  'match-server-version': Flags.boolean({summary: 'Require server version to match client version', helpGroup: G}),
  namespace: Flags.string({char: 'n', summary: 'If present, the namespace scope for this CLI request', helpGroup: G}),
  password: Flags.string({summary: 'Password for basic authentication to the API server', helpGroup: G}),
  // Go runtime profiles (pprof) do not exist for a node process: the name is checked as kubectl checks it.
  profile: Flags.string({
    summary: 'Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)',
    helpGroup: G,
    helpValue: "'none'",
  }),
  'profile-output': Flags.string({
    summary: 'Name of the file to write the profile to',
    helpGroup: G,
    helpValue: "'profile.pprof'",
  }),
  'request-timeout': Flags.string({
    summary:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
    helpGroup: G,
    helpValue: "'0'",
  }),
  server: Flags.string({char: 's', summary: 'The address and port of the Kubernetes API server', helpGroup: G}),
  'tls-server-name': Flags.string({
    summary:
      'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used',
    helpGroup: G,
  }),
  token: Flags.string({summary: 'Bearer token for authentication to the API server', helpGroup: G}),
  user: Flags.string({summary: 'The name of the kubeconfig user to use', helpGroup: G}),
  username: Flags.string({summary: 'Username for basic authentication to the API server', helpGroup: G}),
  v: Flags.string({char: 'v', summary: 'number for the log level verbosity', helpGroup: G, helpValue: '0'}),
  // klog's per-file verbosity: mkctl has one log, so the value is checked and otherwise unused.
  vmodule: Flags.string({
    summary:
      'comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)',
    helpGroup: G,
    helpValue: '',
  }),
  'warnings-as-errors': Flags.boolean({
    summary: 'Treat warnings received from the server as errors and exit with a non-zero exit code',
    helpGroup: G,
  }),
}

/** PROFILES are the names kubectl's --profile accepts (kubectl/pkg/cmd/profiling.go). */
export const PROFILES = ['none', 'cpu', 'heap', 'goroutine', 'threadcreate', 'block', 'mutex']

/**
 * globalFlagError checks the values of the global flags that pflag or kubectl's start-up validate before any command
 * runs, and returns kubectl's message (without the `See ... --help` line) for the first bad one.
 */
export function globalFlagError(flags: {
  'log-flush-frequency'?: string
  vmodule?: string
  profile?: string
}): {message: string; usage: boolean} | undefined {
  const lff = flags['log-flush-frequency']
  // pflag's duration flag: time.ParseDuration; kubectl's flag wraps the error as "parse error"
  if (lff !== undefined && !isGoDuration(lff))
    return {message: `invalid argument "${lff}" for "--log-flush-frequency" flag: parse error`, usage: true}
  const vm = flags.vmodule
  if (vm !== undefined && vm !== '' && !vm.split(',').every((p) => /^[^=]+=\d+$/.test(p)))
    return {
      message: `invalid argument "${vm}" for "--vmodule" flag: syntax error: expect comma-separated list of filename=N`,
      usage: true,
    }
  const p = flags.profile
  if (p !== undefined && !PROFILES.includes(p)) return {message: `unknown profile '${p}'`, usage: false}
  return undefined
}

/** isGoDuration tells whether s parses with Go's time.ParseDuration (`0`, `5s`, `1h2m`, `1.5ms`, `-3s`). */
export function isGoDuration(s: string): boolean {
  if (s === '0' || s === '+0' || s === '-0') return true
  return /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/.test(s)
}
