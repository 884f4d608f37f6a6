// deny.ts is `mkctl certificate deny` (kubectl/pkg/cmd/certificates/certificates.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {DENY, CertificateOptions} from '../../options/certificate.js'

/** CertificateDeny sets the Denied condition of certificate signing requests. */
export default class CertificateDeny extends MkctlCommand {
  static override summary = 'Deny a certificate signing request'
  static override description = `Deny a certificate signing request.

 mkctl certificate deny allows a cluster admin to deny a certificate signing request (CSR). This action tells a certificate signing controller to not to issue a certificate to the requester.`
  static override examples = ["# Deny CSR 'csr-sqgzp'\nmkctl certificate deny csr-sqgzp"]
  static override strict = false
  static override flags = {
    force: Flags.boolean({summary: 'Update the CSR even if it is already denied.'}),
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

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(CertificateDeny)
    const o = new CertificateOptions(this.io, DENY)
    o.names = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.force = flags.force
    o.output = flags.output ?? ''
    await o.complete(this.factory)
    await o.run(this.factory)
  }
}
