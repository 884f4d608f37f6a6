// inspect.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import AuthCanI from '../commands/auth/can-i.js'
import AuthWhoAmI from '../commands/auth/whoami.js'
import CertificateApprove from '../commands/certificate/approve.js'
import CertificateDeny from '../commands/certificate/deny.js'
import ClusterInfoDump from '../commands/cluster-info/dump.js'
import ConfigSetCluster from '../commands/config/set-cluster.js'
import ConfigSetCredentials from '../commands/config/set-credentials.js'
import ConfigSet from '../commands/config/set.js'
import ConfigUnset from '../commands/config/unset.js'
import ConfigRenameContext from '../commands/config/rename-context.js'
import ConfigGetUsers from '../commands/config/get-users.js'
import ConfigDeleteCluster from '../commands/config/delete-cluster.js'
import ConfigDeleteUser from '../commands/config/delete-user.js'
import Explain from '../commands/explain.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  explain: Explain,
  'auth:can-i': AuthCanI,
  'auth:whoami': AuthWhoAmI,
  'certificate:approve': CertificateApprove,
  'certificate:deny': CertificateDeny,
  'cluster-info:dump': ClusterInfoDump,
  'config:set-cluster': ConfigSetCluster,
  'config:set-credentials': ConfigSetCredentials,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'config:rename-context': ConfigRenameContext,
  'config:get-users': ConfigGetUsers,
  'config:delete-cluster': ConfigDeleteCluster,
  'config:delete-user': ConfigDeleteUser,
}
