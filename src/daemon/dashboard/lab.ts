// lab.ts is the dashboard's lab view for students on a lab profile: the lab's title and instructions, each task's
// title and instructions, the hints the student revealed (`mkctl lab hint`), and whether each task passes now. It
// grades with the lab engine's own runCheck (src/lab/checks.ts) over the daemon's registry and store, but shows
// only pass/fail per task and how many checks pass: never a check's definition or message (they can name the
// expected values), never the journal. Checks that need the journal of commands, a script run or a simulated
// request (`command`, `script`, `reachable`) are left to `mkctl lab check` and counted as such.
import {parse as parseYaml} from 'yaml'
import {runCheck, type CheckEnv} from '../../lab/checks.js'
import {daemonView} from '../../lab/cluster-view.js'
import {render, renderDeep} from '../../lab/template.js'
import type {CheckSpec, Lab} from '../../lab/types.js'
import type {Daemon} from '../main.js'
import type {DashboardDeps} from './index.js'
import {escapeHTML} from './views.js'

/** LabPage is the lab view's content, the kinds that redraw it and its status. */
export interface LabPage {
  status: number
  live: string
  html: string
}

/** LEFT_TO_CLI are check kinds the page does not run, with why. */
const LEFT_TO_CLI = {
  command: 'graded by mkctl lab check (journal of commands)',
  script: 'graded by mkctl lab check (runs a command)',
  reachable: 'graded by mkctl lab check (sends a request)',
} as const

function paragraphs(text: string | undefined): string {
  if (!text) return ''
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHTML(p.trim())}</p>`)
    .join('')
}

/** labPage renders the lab view, or a 404 page when the profile runs no lab. */
export async function labPage(deps: DashboardDeps): Promise<LabPage> {
  const rec = deps.lab?.lab()
  if (!rec) return {status: 404, live: '', html: '<h1>Lab</h1><p class="empty">This profile runs no lab.</p>'}
  const lab = parseYaml(rec.lab) as Lab
  const params = rec.params ?? {}
  const text = (s: string | undefined) => {
    try {
      return s === undefined ? undefined : render(s, params)
    } catch {
      return s
    }
  }
  const {cluster} = deps
  // daemonView reads only resources, registry and store, which the cluster core has under the same names.
  const view = daemonView(cluster as unknown as Daemon)
  const env: CheckEnv = {
    view,
    journal: [],
    run: async () => ({code: 1, stdout: '', stderr: 'not available in the dashboard'}),
    now: () => cluster.clock.now(),
    advance: async () => {},
    nextTimerAt: () => undefined,
    skip: LEFT_TO_CLI,
  }
  const tasks: string[] = []
  for (const task of lab.tasks ?? []) {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const raw of task.checks ?? []) {
      let c: CheckSpec
      try {
        c = renderDeep(raw, params)
      } catch {
        failed++
        continue
      }
      const out = await runCheck(c, env, params)
      if (out.skipped) skipped++
      else if (out.passed) passed++
      else failed++
    }
    const verdict = failed === 0 && passed > 0 ? 'pass' : failed === 0 ? 'open' : 'fail'
    const hints = (rec.hints ?? [])
      .filter((h) => h.task === task.name)
      .map((h) => task.hints?.[h.index])
      .filter((h): h is string => typeof h === 'string')
    tasks.push(
      `<section class="task" data-task="${escapeHTML(task.name)}" data-result="${verdict}">` +
        `<h2><span class="badge ${verdict === 'pass' ? 'ok' : verdict === 'fail' ? 'bad' : 'warn'}">${verdict.toUpperCase()}</span> ${escapeHTML(text(task.title) ?? task.name)}</h2>` +
        paragraphs(text(task.instructions)) +
        `<p class="checks">${passed} of ${passed + failed} checks pass here` +
        (skipped ? `; ${skipped} more are graded by <code>mkctl lab check</code>` : '') +
        '.</p>' +
        (hints.length
          ? `<details open><summary>Hints you revealed (${hints.length}/${task.hints?.length ?? 0})</summary><ol>${hints.map((h) => `<li>${escapeHTML(text(h))}</li>`).join('')}</ol></details>`
          : task.hints?.length
            ? `<p class="empty">${task.hints.length} hint${task.hints.length === 1 ? '' : 's'} available: <code>mkctl lab hint</code>.</p>`
            : ''),
    )
    tasks.push('</section>')
  }
  const title = text(lab.metadata?.title) ?? lab.metadata?.name ?? rec.name
  return {
    status: 200,
    live: 'pods,deployments,replicasets,services,endpointslices,ingresses,nodes',
    html:
      `<h1>Lab: ${escapeHTML(title)}</h1>` +
      (rec.student ? `<p>Student: ${escapeHTML(rec.student)}</p>` : '') +
      paragraphs(text(lab.instructions)) +
      tasks.join(''),
  }
}
