// network.ts lists the commands that reach workloads over the network: port-forward, and the minikube-like
// `cluster service` and `cluster addons` (ingress).
import type {Command} from '@oclif/core'
import ClusterAddonsDisable from '../commands/cluster/addons/disable.js'
import ClusterAddonsEnable from '../commands/cluster/addons/enable.js'
import ClusterAddonsList from '../commands/cluster/addons/list.js'
import ClusterService from '../commands/cluster/service.js'
import ClusterTrace from '../commands/cluster/trace.js'
import ClusterTunnel from '../commands/cluster/tunnel.js'
import PortForward from '../commands/port-forward.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'port-forward': PortForward,
  'cluster:addons:list': ClusterAddonsList,
  'cluster:addons:enable': ClusterAddonsEnable,
  'cluster:addons:disable': ClusterAddonsDisable,
  'cluster:service': ClusterService,
  'cluster:trace': ClusterTrace,
  'cluster:tunnel': ClusterTunnel,
}
