// index.ts: the scheduler's public surface.
export {schedulerController, Scheduler, SCHEDULER_NAME, UNSCHEDULABLE_RETRY_MS} from './scheduler.js'
export {fitErrorMessage, FILTERS, REASONS} from './filters.js'
export {toleratesTaint, tolerationsTolerate, findUntoleratedTaint} from './taints.js'
