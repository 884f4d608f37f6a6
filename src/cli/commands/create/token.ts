// token.ts is `mkctl create token` (kubectl/pkg/cmd/create/create_token.go): a TokenRequest on the
// serviceaccounts/token subresource; the token is printed bare unless -o is given.
import {Flags} from '@oclif/core'
import {parseGoDuration} from '../../../api/duration.js'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateTokenOptions} from '../../generators/create.js'
import {printFlags, type CommonFlagValues} from '../../generators/options.js'

/** CreateToken requests a service account token. */
export default class CreateToken extends GeneratorCommand {
  static override summary = 'Request a service account token'
  static override description = 'Request a service account token.'
  static override examples = [
    '# Request a token to authenticate to the kube-apiserver as the service account "myapp" in the current namespace\nmkctl create token myapp',
    '# Request a token for a service account in a custom namespace\nmkctl create token myapp --namespace myns',
    '# Request a token with a custom expiration\nmkctl create token myapp --duration 10m',
    '# Request a token with a custom audience\nmkctl create token myapp --audience https://example.com',
    '# Request a token bound to an instance of a Secret object\nmkctl create token myapp --bound-object-kind Secret --bound-object-name mysecret',
    '# Request a token bound to an instance of a Secret object with a specific UID\nmkctl create token myapp --bound-object-kind Secret --bound-object-name mysecret --bound-object-uid 0d4691ed-659b-4935-a832-355f77ee47cc',
  ]
  static override flags = {
    ...printFlags,
    audience: Flags.string({
      multiple: true,
      summary:
        'Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.',
    }),
    duration: Flags.string({
      default: '0s',
      summary:
        'Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.',
    }),
    'bound-object-kind': Flags.string({
      summary:
        'Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided.',
    }),
    'bound-object-name': Flags.string({
      summary:
        'Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.',
    }),
    'bound-object-uid': Flags.string({
      summary:
        'UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create token'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        audience?: string[]
        duration: string
        'bound-object-kind'?: string
        'bound-object-name'?: string
        'bound-object-uid'?: string
      }
    >(CreateToken)
    const o = new CreateTokenOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    let ms: number
    try {
      ms = parseGoDuration(flags.duration)
    } catch (e) {
      throw new Error(`invalid argument "${flags.duration}" for "--duration" flag: ${(e as Error).message}`, {cause: e})
    }
    o.nameFromArgs(args)
    o.audiences = flags.audience ?? []
    o.durationMs = ms
    o.boundObjectKind = flags['bound-object-kind'] ?? ''
    o.boundObjectName = flags['bound-object-name'] ?? ''
    o.boundObjectUID = flags['bound-object-uid'] ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
