// deny.ts is `mkctl certificate deny` (kubectl/pkg/cmd/certificates/certificates.go).
import {MkctlCommand} from '../../base-command.js'
import {DENY} from '../../options/certificate.js'
import {certificateFlags, runCertificate} from './shared.js'

/** CertificateDeny sets the Denied condition of certificate signing requests. */
export default class CertificateDeny extends MkctlCommand {
  static override summary = 'Deny a certificate signing request'
  static override description = `Deny a certificate signing request.

 mkctl certificate deny allows a cluster admin to deny a certificate signing request (CSR). This action tells a certificate signing controller to not to issue a certificate to the requester.`
  static override examples = ["# Deny CSR 'csr-sqgzp'\nmkctl certificate deny csr-sqgzp"]
  static override strict = false
  static override flags = certificateFlags('denied')

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(CertificateDeny)
    await runCertificate(this.io, this.factory, DENY, argv as string[], flags)
  }
}
