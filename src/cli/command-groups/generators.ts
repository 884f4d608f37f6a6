// generators.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
// The generator group is `create <kind>`, `run` and `expose`; kubectl's aliases (`create deploy`, `create cm`, ...)
// are listed as ids of their own so that argv routing finds them.
import type {Command} from '@oclif/core'
import CreateClusterRole from '../commands/create/clusterrole.js'
import CreateClusterRoleBinding from '../commands/create/clusterrolebinding.js'
import CreateConfigMap from '../commands/create/configmap.js'
import CreateCronJob from '../commands/create/cronjob.js'
import CreateDeployment from '../commands/create/deployment.js'
import CreateIngress from '../commands/create/ingress.js'
import CreateJob from '../commands/create/job.js'
import CreateNamespace from '../commands/create/namespace.js'
import CreatePodDisruptionBudget from '../commands/create/poddisruptionbudget.js'
import CreatePriorityClass from '../commands/create/priorityclass.js'
import CreateQuota from '../commands/create/quota.js'
import CreateRole from '../commands/create/role.js'
import CreateRoleBinding from '../commands/create/rolebinding.js'
import CreateSecretDockerRegistry from '../commands/create/secret/docker-registry.js'
import CreateSecretGeneric from '../commands/create/secret/generic.js'
import CreateSecretTLS from '../commands/create/secret/tls.js'
import CreateServiceAccount from '../commands/create/serviceaccount.js'
import CreateServiceClusterIP from '../commands/create/service/clusterip.js'
import CreateServiceExternalName from '../commands/create/service/externalname.js'
import CreateServiceLoadBalancer from '../commands/create/service/loadbalancer.js'
import CreateServiceNodePort from '../commands/create/service/nodeport.js'
import CreateToken from '../commands/create/token.js'
import Expose from '../commands/expose.js'
import Run from '../commands/run.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'create:clusterrole': CreateClusterRole,
  'create:clusterrolebinding': CreateClusterRoleBinding,
  'create:configmap': CreateConfigMap,
  'create:cm': CreateConfigMap,
  'create:cronjob': CreateCronJob,
  'create:cj': CreateCronJob,
  'create:deployment': CreateDeployment,
  'create:deploy': CreateDeployment,
  'create:ingress': CreateIngress,
  'create:ing': CreateIngress,
  'create:job': CreateJob,
  'create:namespace': CreateNamespace,
  'create:ns': CreateNamespace,
  'create:poddisruptionbudget': CreatePodDisruptionBudget,
  'create:pdb': CreatePodDisruptionBudget,
  'create:priorityclass': CreatePriorityClass,
  'create:pc': CreatePriorityClass,
  'create:quota': CreateQuota,
  'create:resourcequota': CreateQuota,
  'create:role': CreateRole,
  'create:rolebinding': CreateRoleBinding,
  'create:secret:docker-registry': CreateSecretDockerRegistry,
  'create:secret:generic': CreateSecretGeneric,
  'create:secret:tls': CreateSecretTLS,
  'create:serviceaccount': CreateServiceAccount,
  'create:sa': CreateServiceAccount,
  'create:service:clusterip': CreateServiceClusterIP,
  'create:service:externalname': CreateServiceExternalName,
  'create:service:loadbalancer': CreateServiceLoadBalancer,
  'create:service:nodeport': CreateServiceNodePort,
  'create:svc:clusterip': CreateServiceClusterIP,
  'create:svc:externalname': CreateServiceExternalName,
  'create:svc:loadbalancer': CreateServiceLoadBalancer,
  'create:svc:nodeport': CreateServiceNodePort,
  'create:token': CreateToken,
  expose: Expose,
  run: Run,
}
