// commands-index.ts is mkctl's command table; ids use `:` separators and are shown with spaces. Add a command here
// (or to a command group) when adding a file under src/cli/commands/. Keep the shape (`import X from '...'`, entries
// `'id': X,` and `...GROUP,`): scripts/build.mjs reads it as text (startup/command-table.ts) to give the CLI bundle a
// table whose command modules evaluate only when their command runs; the table is then handed to oclif by
// bundle-entry.ts.
import type {Command} from '@oclif/core'
import ApiResources from './commands/api-resources.js'
import ApiVersions from './commands/api-versions.js'
import ClusterInfo from './commands/cluster-info.js'
import ClusterDelete from './commands/cluster/delete.js'
import ClusterList from './commands/cluster/list.js'
import ClusterLogs from './commands/cluster/logs.js'
import ClusterStart from './commands/cluster/start.js'
import ClusterStatus from './commands/cluster/status.js'
import ClusterStop from './commands/cluster/stop.js'
import ClusterTime from './commands/cluster/time/index.js'
import ClusterTimeAdvance from './commands/cluster/time/advance.js'
import ClusterNodeAdd from './commands/cluster/node/add.js'
import ClusterNodeDelete from './commands/cluster/node/delete.js'
import ClusterNodeList from './commands/cluster/node/list.js'
import ClusterNodeStart from './commands/cluster/node/start.js'
import ClusterNodeStop from './commands/cluster/node/stop.js'
import Get from './commands/get.js'
import {Factory} from './client/factory.js'
import {autoStart} from './cluster/autostart.js'
import ConfigCurrentContext from './commands/config/current-context.js'
import ConfigDeleteContext from './commands/config/delete-context.js'
import ConfigGetClusters from './commands/config/get-clusters.js'
import ConfigGetContexts from './commands/config/get-contexts.js'
import ConfigSetContext from './commands/config/set-context.js'
import ConfigUseContext from './commands/config/use-context.js'
import ConfigView from './commands/config/view.js'
import HelpCommand from './commands/help.js'
import Version from './commands/version.js'
import Create from './commands/create.js'
import Apply from './commands/apply.js'
import Delete from './commands/delete.js'
import ApplyViewLastApplied from './commands/apply/view-last-applied.js'
import ApplySetLastApplied from './commands/apply/set-last-applied.js'
import {COMMANDS as DESCRIBE} from './command-groups/describe.js'
import {COMMANDS as GENERATORS} from './command-groups/generators.js'
import {COMMANDS as MUTATE} from './command-groups/mutate.js'
import {COMMANDS as EDIT} from './command-groups/edit.js'
import {COMMANDS as ROLLOUT} from './command-groups/rollout.js'
import {COMMANDS as LOGS} from './command-groups/logs.js'
import {COMMANDS as EXEC} from './command-groups/exec.js'
import {COMMANDS as LAB} from './command-groups/lab.js'
import {COMMANDS as NETWORK} from './command-groups/network.js'
import {COMMANDS as INSPECT} from './command-groups/inspect.js'
import {COMMANDS as DEBUG} from './command-groups/debug.js'
import {COMMANDS as LABS_BUILTIN} from './command-groups/labs-builtin.js'
import {COMMANDS as METRICS} from './command-groups/metrics.js'
import {COMMANDS as LOAD} from './command-groups/load.js'
import {COMMANDS as COMPLETION} from './command-groups/completion.js'
import {COMMANDS as USERS} from './command-groups/users.js'
import {COMMANDS as DASHBOARD} from './command-groups/dashboard.js'
import {COMMANDS as SNAPSHOT} from './command-groups/snapshot.js'
import {COMMANDS as PROXY} from './command-groups/proxy.js'

/** COMMANDS maps command ids to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'api-resources': ApiResources,
  'api-versions': ApiVersions,
  'cluster-info': ClusterInfo,
  'cluster:delete': ClusterDelete,
  'cluster:list': ClusterList,
  'cluster:logs': ClusterLogs,
  'cluster:start': ClusterStart,
  'cluster:status': ClusterStatus,
  'cluster:stop': ClusterStop,
  'cluster:time': ClusterTime,
  'cluster:time:advance': ClusterTimeAdvance,
  'cluster:node:add': ClusterNodeAdd,
  'cluster:node:delete': ClusterNodeDelete,
  'cluster:node:list': ClusterNodeList,
  'cluster:node:start': ClusterNodeStart,
  'cluster:node:stop': ClusterNodeStop,
  get: Get,
  'config:current-context': ConfigCurrentContext,
  'config:delete-context': ConfigDeleteContext,
  'config:get-clusters': ConfigGetClusters,
  'config:get-contexts': ConfigGetContexts,
  'config:set-context': ConfigSetContext,
  'config:use-context': ConfigUseContext,
  'config:view': ConfigView,
  help: HelpCommand,
  version: Version,
  create: Create,
  apply: Apply,
  delete: Delete,
  'apply:view-last-applied': ApplyViewLastApplied,
  'apply:set-last-applied': ApplySetLastApplied,
  ...DESCRIBE,
  ...GENERATORS,
  ...MUTATE,
  ...EDIT,
  ...ROLLOUT,
  ...LOGS,
  ...EXEC,
  ...LAB,
  ...NETWORK,
  ...INSPECT,
  ...DEBUG,
  ...LABS_BUILTIN,
  ...METRICS,
  ...LOAD,
  ...COMPLETION,
  ...USERS,
  ...DASHBOARD,
  ...SNAPSHOT,
  ...PROXY,
}

// Every command that talks to the API starts the local cluster first when it is not running (DESIGN §2).
// bundle-entry.ts registers the same hook without evaluating this table.
if (!Factory.beforeConnect.includes(autoStart)) Factory.beforeConnect.push(autoStart)
