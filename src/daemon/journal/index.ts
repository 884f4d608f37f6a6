// index.ts is the lab journal's public face for the daemon (main.ts wires LabService into the API server).
export {requestBodies} from './bodies.js'
export {GENESIS, JournalFile, lineHash, sha256, verifyJournal, type JournalHead} from './chain.js'
export {
  JOURNAL_FILE,
  LAB_FILE,
  LabConflict,
  LabService,
  resolveType,
  type LabServiceDeps,
  type ViewAnswer,
} from './service.js'
export * from '../../api/journal.js'
