// dump.ts is `mkctl cluster-info dump` (kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {ClusterInfoDumpOptions} from '../../options/cluster-info-dump.js'

/** ClusterInfoDump dumps cluster state and pod logs for debugging, to stdout or a directory. */
export default class ClusterInfoDump extends MkctlCommand {
  static override summary = 'Dump relevant information for debugging and diagnosis'
  static override description = `Dump cluster information out suitable for debugging and diagnosing cluster problems. By default, dumps everything to stdout. You can optionally specify a directory with --output-directory. If you specify a directory, Kubernetes will build a set of files in that directory. By default, only dumps things in the current namespace and 'kube-system' namespace, but you can switch to a different namespace with the --namespaces flag, or specify --all-namespaces to dump all namespaces.

 The command also dumps the logs of all of the pods in the cluster; these logs are dumped into different directories based on namespace and pod name.`
  static override examples = [
    '# Dump current cluster state to stdout\nmkctl cluster-info dump',
    '# Dump current cluster state to /path/to/cluster-state\nmkctl cluster-info dump --output-directory=/path/to/cluster-state',
    '# Dump all namespaces to stdout\nmkctl cluster-info dump --all-namespaces',
    '# Dump a set of namespaces to /path/to/cluster-state\nmkctl cluster-info dump --namespaces default,kube-system --output-directory=/path/to/cluster-state',
  ]
  static override flags = {
    'output-directory': Flags.string({
      summary:
        "Where to output the files.  If empty or '-' uses stdout, otherwise creates a directory hierarchy in that directory",
    }),
    namespaces: Flags.string({multiple: true, summary: 'A comma separated list of namespaces to dump.'}),
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary: 'If true, dump all namespaces.  If true, --namespaces is ignored.',
    }),
    'pod-running-timeout': Flags.string({
      default: '20s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
    output: Flags.string({
      char: 'o',
      default: 'json',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'allow-missing-template-keys': Flags.boolean({
      default: true,
      allowNo: true,
      summary: 'If true, ignore any errors in templates when a field or map key is missing in the template.',
    }),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    template: Flags.string({
      summary: 'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterInfoDump)
    const o = new ClusterInfoDumpOptions(this.io)
    o.output = flags.output
    o.outputDirectory = flags['output-directory'] ?? ''
    o.allNamespaces = flags['all-namespaces']
    o.showManagedFields = flags['show-managed-fields']
    // pflag's StringSlice: each value split on commas
    o.namespaces = (flags.namespaces ?? []).flatMap((v: string) => v.split(','))
    await o.run(this.factory)
  }
}
