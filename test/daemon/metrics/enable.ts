// enable.ts turns the metrics-server addon on in a test daemon through the admin API, as `mkctl cluster addons
// enable metrics-server` does, and lets the addon's pod become Ready.
import assert from 'node:assert/strict'
import type {TestDaemon} from '../../helpers/daemon.js'
import {ApiClient} from '../../helpers/http.js'

/** enableMetricsServer enables the addon and settles the cluster. */
export async function enableMetricsServer(t: TestDaemon): Promise<void> {
  const api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
  const r = await api.request('POST', '/mkctl/v1/addons/metrics-server/enable')
  assert.equal(r.status, 200, r.text)
  await t.settle()
}
