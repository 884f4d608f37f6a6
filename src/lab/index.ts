// index.ts is the lab engine's public face and the entry of its bundle (dist/mkctl-lab.cjs): lab files, parameters,
// templates, sessions, checks, the grader and reports. Importing it also arms worker.ts, so the bundle can be a
// grading worker's script.
export * from './types.js'
export {hash32, Prng} from './prng.js'
export {drawParameters, generate, parsePattern, ParameterError} from './params.js'
export {render, renderDeep, templateRefs, TemplateError} from './template.js'
export {
  formatDiagnostic,
  LAB_SCHEMA,
  LabLoadError,
  loadLab,
  loadLabFile,
  parseLab,
  type Diagnostic,
  type LoadedLab,
} from './load.js'
export {
  parseSession,
  quoteArgv,
  readSession,
  resolveFileArgs,
  SessionParseError,
  tokenize,
  type Session,
  type SessionCommand,
} from './session.js'
export {daemonView, resolveResource, type ClusterView, type HistoryEvent} from './cluster-view.js'
export {describeCheck, readiness, runCheck, type CheckEnv, type CheckOutcome, type JournalEntry} from './checks.js'
export {
  gradeSession,
  gradeTasks,
  maxPointsOf,
  LabSetupError,
  renderCheck,
  runSetup,
  sessionSeed,
  type CheckResult,
  type GradeOptions,
  type LabSource,
  type SessionResult,
  type TaskResult,
} from './grader.js'
export {
  describeRequest,
  explainHops,
  judge,
  networkProbe,
  resolveProbe,
  type HttpProbe,
  type ProbeAnswer,
  type ProbeRequest,
} from './reachable.js'
export {
  gradeLive,
  LIVE_SKIPPED,
  LiveView,
  liveProbe,
  openLive,
  type LiveCluster,
  type LiveOptions,
} from './live-view.js'
export {importKillercoda, type ImportResult, type NotConverted} from './import/killercoda.js'
export {startReplayer, runInProcess, type CommandResult, type Replayer} from './replay.js'
export {gradeFile, gradeFiles, type BatchOptions} from './batch.js'
export {buildReport, formatReport, REPORT_FORMATS, type Report, type ReportFormat, type Summary} from './report.js'
import './worker.js'
