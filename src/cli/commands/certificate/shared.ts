// shared.ts holds what `certificate approve` and `certificate deny` share (kubectl's certificates.go builds both
// from one set of flags and one Options with the condition to set).
import {Flags} from '@oclif/core'
import type {IOStreams} from '../../io.js'
import type {Factory} from '../../client/factory.js'
import {CertificateOptions, type CsrAction} from '../../options/certificate.js'

/** certificateFlags are the flags of both commands; state is "approved" or "denied". */
export function certificateFlags(state: string) {
  return {
    force: Flags.boolean({summary: `Update the CSR even if it is already ${state}.`}),
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files identifying the resource to update',
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({
      char: 'k',
      summary: "Process the kustomization directory. This flag can't be used together with -f or -R.",
    }),
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'allow-missing-template-keys': Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
    }),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    template: Flags.string({
      summary:
        'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
    }),
  }
}

/** runCertificate runs approve or deny with parsed flags and names. */
export async function runCertificate(
  io: IOStreams,
  factory: Factory,
  mode: CsrAction,
  names: string[],
  flags: {filename?: string[]; recursive: boolean; force: boolean; output?: string},
): Promise<void> {
  const o = new CertificateOptions(io, mode)
  o.names = names
  o.filenames = flags.filename ?? []
  o.recursive = flags.recursive
  o.force = flags.force
  o.output = flags.output ?? ''
  await o.complete(factory)
  await o.run(factory)
}
