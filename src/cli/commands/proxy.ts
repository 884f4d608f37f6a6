// proxy.ts is `mkctl proxy` (kubectl/pkg/cmd/proxy/proxy.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {ProxyOptions} from '../options/proxy.js'

/** ProxyCommand runs a proxy to the API server on a local address (or a Unix socket). */
export default class ProxyCommand extends MkctlCommand {
  static override summary = 'Run a proxy to the Kubernetes API server'
  static override description =
    'Creates a proxy server or application-level gateway between localhost and the Kubernetes API server. It also allows serving static content over specified HTTP path. All incoming data enters through one port and gets forwarded to the remote Kubernetes API server port, except for the path matching the static content path.'
  static override usage = 'proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix]'
  static override examples = [
    '# To proxy all of the Kubernetes API and nothing else\nmkctl proxy --api-prefix=/',
    "# To proxy only part of the Kubernetes API and also some static files\n# You can get pods info with 'curl localhost:8001/api/v1/pods'\nmkctl proxy --www=/my/files --www-prefix=/static/ --api-prefix=/api/",
    "# To proxy the entire Kubernetes API at a different root\n# You can get pods info with 'curl localhost:8001/custom/api/v1/pods'\nmkctl proxy --api-prefix=/custom/",
    '# Run a proxy to the Kubernetes API server on port 8011, serving static content from ./local/www/\nmkctl proxy --port=8011 --www=./local/www/',
    '# Run a proxy to the Kubernetes API server on an arbitrary local port\n# The chosen port for the server will be output to stdout\nmkctl proxy --port=0',
    '# Run a proxy to the Kubernetes API server, changing the API prefix to k8s-api\n# This makes e.g. the pods API available at localhost:8001/k8s-api/v1/pods/\nmkctl proxy --api-prefix=/k8s-api',
  ]
  // kubectl proxy takes no arguments but ignores any it is given
  static override strict = false
  static override flags = {
    'accept-hosts': Flags.string({
      default: '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$',
      summary: 'Regular expression for hosts that the proxy should accept.',
    }),
    'accept-paths': Flags.string({
      default: '^.*',
      summary: 'Regular expression for paths that the proxy should accept.',
    }),
    address: Flags.string({default: '127.0.0.1', summary: 'The IP address on which to serve on.'}),
    'api-prefix': Flags.string({default: '/', summary: 'Prefix to serve the proxied API under.'}),
    'append-server-path': Flags.boolean({
      summary: 'If true, enables automatic path appending of the kube context server path to each request.',
    }),
    'disable-filter': Flags.boolean({
      summary:
        'If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.',
    }),
    keepalive: Flags.string({
      default: '0s',
      summary:
        'keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive.',
    }),
    port: Flags.string({
      char: 'p',
      default: '8001',
      summary: 'The port on which to run the proxy. Set to 0 to pick a random port.',
    }),
    'reject-methods': Flags.string({
      default: '^$',
      summary:
        "Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH'). ",
    }),
    'reject-paths': Flags.string({
      default: '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach',
      summary:
        'Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.',
    }),
    'unix-socket': Flags.string({char: 'u', default: '', summary: 'Unix socket on which to run the proxy.'}),
    www: Flags.string({
      char: 'w',
      default: '',
      summary: 'Also serve static files from the given directory under the specified prefix.',
    }),
    'www-prefix': Flags.string({
      char: 'P',
      default: '/static/',
      summary: 'Prefix to serve static files under, if static file directory is specified.',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProxyCommand)
    const o = new ProxyOptions(this.io)
    o.commandPath = this.commandPath
    o.acceptHosts = flags['accept-hosts']
    o.acceptPaths = flags['accept-paths']
    o.rejectPaths = flags['reject-paths']
    o.rejectMethods = flags['reject-methods']
    o.address = flags.address
    o.apiPrefix = flags['api-prefix']
    o.appendServerPath = flags['append-server-path']
    o.disableFilter = flags['disable-filter']
    o.keepaliveFlag = flags.keepalive
    o.portFlag = flags.port
    o.unixSocket = flags['unix-socket']
    o.staticDir = flags.www
    o.staticPrefix = flags['www-prefix']
    o.parseFlags()
    // kubectl's Complete reads the client config first: a broken kubeconfig fails before anything else
    await this.factory.clientConfig()
    o.complete()
    o.validate()
    await o.run(this.factory)
  }
}
