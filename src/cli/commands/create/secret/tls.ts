// tls.ts is `mkctl create secret tls` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateSecretTLSOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'

/** CreateSecretTLS: create a TLS secret. */
export default class CreateSecretTLS extends GeneratorCommand {
  static override summary = 'Create a TLS secret'
  static override description =
    'Create a TLS secret from the given public/private key pair.\n\nThe public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.'
  static override examples = [
    '# Create a new TLS secret named tls-secret with the given key pair\nmkctl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key',
  ]
  static override flags = {
    ...createFlags,
    cert: Flags.string({summary: 'Path to PEM encoded public key certificate.'}),
    key: Flags.string({summary: 'Path to private key associated with given certificate.'}),
    'append-hash': Flags.boolean({summary: 'Append a hash of the secret to its name.'}),
  }

  override get commandPath(): string {
    return 'mkctl create secret tls'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {cert?: string; key?: string; 'append-hash': boolean}
    >(CreateSecretTLS)
    const o = new CreateSecretTLSOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.cert = flags.cert ?? ''
    o.key = flags.key ?? ''
    o.appendHash = flags['append-hash']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
