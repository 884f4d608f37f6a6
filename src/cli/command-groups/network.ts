// network.ts lists the commands that reach workloads over the network (port-forward).
import type {Command} from '@oclif/core'
import PortForward from '../commands/port-forward.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'port-forward': PortForward,
}
