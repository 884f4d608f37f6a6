// approve.ts is `mkctl certificate approve` (kubectl/pkg/cmd/certificates/certificates.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {APPROVE, CertificateOptions} from '../../options/certificate.js'

/** CertificateApprove sets the Approved condition of certificate signing requests. */
export default class CertificateApprove extends MkctlCommand {
  static override summary = 'Approve a certificate signing request'
  static override description = `Approve a certificate signing request.

 mkctl certificate approve allows a cluster admin to approve a certificate signing request (CSR). This action tells a certificate signing controller to issue a certificate to the requester with the attributes requested in the CSR.

 SECURITY NOTICE: Depending on the requested attributes, the issued certificate can potentially grant a requester access to cluster resources or to authenticate as a requested identity. Before approving a CSR, ensure you understand what the signed certificate can do.`
  static override examples = ["# Approve CSR 'csr-sqgzp'\nmkctl certificate approve csr-sqgzp"]
  static override strict = false
  static override flags = {
    force: Flags.boolean({summary: 'Update the CSR even if it is already approved.'}),
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
    const {flags, argv} = await this.parse(CertificateApprove)
    const o = new CertificateOptions(this.io, APPROVE)
    o.names = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.force = flags.force
    o.output = flags.output ?? ''
    await o.complete(this.factory)
    await o.run(this.factory)
  }
}
