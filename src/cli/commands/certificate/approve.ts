// approve.ts is `mkctl certificate approve` (kubectl/pkg/cmd/certificates/certificates.go).
import {MkctlCommand} from '../../base-command.js'
import {APPROVE} from '../../options/certificate.js'
import {certificateFlags, runCertificate} from './shared.js'

/** CertificateApprove sets the Approved condition of certificate signing requests. */
export default class CertificateApprove extends MkctlCommand {
  static override summary = 'Approve a certificate signing request'
  static override description = `Approve a certificate signing request.

 mkctl certificate approve allows a cluster admin to approve a certificate signing request (CSR). This action tells a certificate signing controller to issue a certificate to the requester with the attributes requested in the CSR.

 SECURITY NOTICE: Depending on the requested attributes, the issued certificate can potentially grant a requester access to cluster resources or to authenticate as a requested identity. Before approving a CSR, ensure you understand what the signed certificate can do.`
  static override examples = ["# Approve CSR 'csr-sqgzp'\nmkctl certificate approve csr-sqgzp"]
  static override strict = false
  static override flags = certificateFlags('approved')

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(CertificateApprove)
    await runCertificate(this.io, this.factory, APPROVE, argv as string[], flags)
  }
}
