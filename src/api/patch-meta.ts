// patch-meta.ts holds the patch facts of the built-in API types: patch strategies and merge keys (used by strategic
// merge patch and client-side apply) and list/map types (the x-kubernetes-* OpenAPI extensions, also used by
// server-side apply). Keys are the upstream OpenAPI schema names, then JSON field names. The values were read from
// the Go struct tags and `+listType`/`+listMapKey`/`+mapType`/`+structType` markers of kubernetes/api,
// kubernetes/apimachinery (meta/v1) and kubernetes/apiextensions-apiserver at tag kubernetes-1.32.0; fields of
// embedded (inline) structs are listed under the embedding type too (Volume has VolumeSource's fields).
// Only fields that carry at least one fact are listed.

/** FieldPatchMeta is what upstream declares about one field for patching and list/map merging. */
export interface FieldPatchMeta {
  /** mergeKey is x-kubernetes-patch-merge-key (Go tag patchMergeKey). */
  mergeKey?: string
  /** strategy is x-kubernetes-patch-strategy: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace'. */
  strategy?: string
  /** listType is x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map'
  /** listMapKeys is x-kubernetes-list-map-keys (only with listType 'map'). */
  listMapKeys?: string[]
  /** mapType is x-kubernetes-map-type of a map or struct field. */
  mapType?: 'atomic' | 'granular'
}

/** PATCH_META maps an upstream schema name, then a JSON field name, to that field's patch facts. */
export const PATCH_META: Record<string, Record<string, FieldPatchMeta>> = {
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    strategy: {strategy: 'retainKeys'},
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    volumeClaimTemplates: {listType: 'atomic'},
  },
  'io.k8s.api.apps.v1.StatefulSetStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.authentication.v1.TokenRequestSpec': {
    audiences: {listType: 'atomic'},
  },
  'io.k8s.api.authentication.v1.TokenReviewSpec': {
    audiences: {listType: 'atomic'},
  },
  'io.k8s.api.authentication.v1.TokenReviewStatus': {
    audiences: {listType: 'atomic'},
  },
  'io.k8s.api.authentication.v1.UserInfo': {
    groups: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.FieldSelectorAttributes': {
    requirements: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.LabelSelectorAttributes': {
    requirements: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.NonResourceRule': {
    verbs: {listType: 'atomic'},
    nonResourceURLs: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.ResourceRule': {
    verbs: {listType: 'atomic'},
    apiGroups: {listType: 'atomic'},
    resources: {listType: 'atomic'},
    resourceNames: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewSpec': {
    groups: {listType: 'atomic'},
  },
  'io.k8s.api.authorization.v1.SubjectRulesReviewStatus': {
    resourceRules: {listType: 'atomic'},
    nonResourceRules: {listType: 'atomic'},
  },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': {
    policies: {listType: 'atomic'},
  },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': {
    metrics: {listType: 'atomic'},
  },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': {
    currentMetrics: {listType: 'atomic'},
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.batch.v1.CronJobStatus': {
    active: {listType: 'atomic'},
  },
  'io.k8s.api.batch.v1.JobStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'atomic'},
  },
  'io.k8s.api.batch.v1.PodFailurePolicy': {
    rules: {listType: 'atomic'},
  },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': {
    values: {listType: 'set'},
  },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': {
    onPodConditions: {listType: 'atomic'},
  },
  'io.k8s.api.batch.v1.SuccessPolicy': {
    rules: {listType: 'atomic'},
  },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': {
    succeeded: {listType: 'set'},
    failed: {listType: 'set'},
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec': {
    request: {listType: 'atomic'},
    usages: {listType: 'atomic'},
    groups: {listType: 'atomic'},
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus': {
    conditions: {listType: 'map', listMapKeys: ['type']},
    certificate: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.AvoidPods': {
    preferAvoidPods: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.Capabilities': {
    add: {listType: 'atomic'},
    drop: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.CephFSPersistentVolumeSource': {
    monitors: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    monitors: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ComponentStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.Container': {
    command: {listType: 'atomic'},
    args: {listType: 'atomic'},
    ports: {mergeKey: 'containerPort', strategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol']},
    envFrom: {listType: 'atomic'},
    env: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    resizePolicy: {listType: 'atomic'},
    volumeMounts: {mergeKey: 'mountPath', strategy: 'merge', listType: 'map', listMapKeys: ['mountPath']},
    volumeDevices: {mergeKey: 'devicePath', strategy: 'merge', listType: 'map', listMapKeys: ['devicePath']},
  },
  'io.k8s.api.core.v1.ContainerImage': {
    names: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    volumeMounts: {mergeKey: 'mountPath', strategy: 'merge', listType: 'map', listMapKeys: ['mountPath']},
    allocatedResourcesStatus: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.EndpointSubset': {
    addresses: {listType: 'atomic'},
    notReadyAddresses: {listType: 'atomic'},
    ports: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.Endpoints': {
    subsets: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    command: {listType: 'atomic'},
    args: {listType: 'atomic'},
    ports: {mergeKey: 'containerPort', strategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol']},
    envFrom: {listType: 'atomic'},
    env: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    resizePolicy: {listType: 'atomic'},
    volumeMounts: {mergeKey: 'mountPath', strategy: 'merge', listType: 'map', listMapKeys: ['mountPath']},
    volumeDevices: {mergeKey: 'devicePath', strategy: 'merge', listType: 'map', listMapKeys: ['devicePath']},
  },
  'io.k8s.api.core.v1.EphemeralContainerCommon': {
    command: {listType: 'atomic'},
    args: {listType: 'atomic'},
    ports: {mergeKey: 'containerPort', strategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol']},
    envFrom: {listType: 'atomic'},
    env: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    resizePolicy: {listType: 'atomic'},
    volumeMounts: {mergeKey: 'mountPath', strategy: 'merge', listType: 'map', listMapKeys: ['mountPath']},
    volumeDevices: {mergeKey: 'devicePath', strategy: 'merge', listType: 'map', listMapKeys: ['devicePath']},
  },
  'io.k8s.api.core.v1.ExecAction': {
    command: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.FCVolumeSource': {
    targetWWNs: {listType: 'atomic'},
    wwids: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    httpHeaders: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.HostAlias': {
    hostnames: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': {
    portals: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    portals: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.LimitRangeSpec': {
    limits: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    supplementalGroups: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.LoadBalancerIngress': {
    ports: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.LoadBalancerStatus': {
    ingress: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NamespaceSpec': {
    finalizers: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.core.v1.NodeAffinity': {
    preferredDuringSchedulingIgnoredDuringExecution: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NodeSelector': {
    nodeSelectorTerms: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    values: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NodeSelectorTerm': {
    matchExpressions: {listType: 'atomic'},
    matchFields: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NodeSpec': {
    podCIDRs: {strategy: 'merge', listType: 'set'},
    taints: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.NodeStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
    addresses: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
    images: {listType: 'atomic'},
    volumesInUse: {listType: 'atomic'},
    volumesAttached: {listType: 'atomic'},
    runtimeHandlers: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    accessModes: {listType: 'atomic'},
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
    allocatedResourceStatuses: {mapType: 'granular'},
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    accessModes: {listType: 'atomic'},
    claimRef: {mapType: 'granular'},
    mountOptions: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: {listType: 'atomic'},
    preferredDuringSchedulingIgnoredDuringExecution: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    namespaces: {listType: 'atomic'},
    matchLabelKeys: {listType: 'atomic'},
    mismatchLabelKeys: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: {listType: 'atomic'},
    preferredDuringSchedulingIgnoredDuringExecution: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodDNSConfig': {
    nameservers: {listType: 'atomic'},
    searches: {listType: 'atomic'},
    options: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodExecOptions': {
    command: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodPortForwardOptions': {
    ports: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    supplementalGroups: {listType: 'atomic'},
    sysctls: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.PodSpec': {
    volumes: {mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name']},
    initContainers: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    containers: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    ephemeralContainers: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    nodeSelector: {mapType: 'atomic'},
    imagePullSecrets: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    tolerations: {listType: 'atomic'},
    hostAliases: {mergeKey: 'ip', strategy: 'merge', listType: 'map', listMapKeys: ['ip']},
    readinessGates: {listType: 'atomic'},
    topologySpreadConstraints: {
      mergeKey: 'topologyKey',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    schedulingGates: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    resourceClaims: {mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name']},
  },
  'io.k8s.api.core.v1.PodStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
    hostIPs: {mergeKey: 'ip', strategy: 'merge', listType: 'atomic'},
    podIPs: {mergeKey: 'ip', strategy: 'merge', listType: 'map', listMapKeys: ['ip']},
    initContainerStatuses: {listType: 'atomic'},
    containerStatuses: {listType: 'atomic'},
    ephemeralContainerStatuses: {listType: 'atomic'},
    resourceClaimStatuses: {mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name']},
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': {
    sources: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': {
    monitors: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    monitors: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ReplicationControllerSpec': {
    selector: {mapType: 'atomic'},
  },
  'io.k8s.api.core.v1.ReplicationControllerStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    scopes: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ResourceRequirements': {
    claims: {listType: 'map', listMapKeys: ['name']},
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    resources: {listType: 'map', listMapKeys: ['resourceID']},
  },
  'io.k8s.api.core.v1.ScopeSelector': {
    matchExpressions: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    values: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.SecretProjection': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.SecretVolumeSource': {
    items: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    secrets: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
    imagePullSecrets: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    ports: {mergeKey: 'port', strategy: 'merge', listType: 'map', listMapKeys: ['port', 'protocol']},
    selector: {mapType: 'atomic'},
    clusterIPs: {listType: 'atomic'},
    externalIPs: {listType: 'atomic'},
    loadBalancerSourceRanges: {listType: 'atomic'},
    ipFamilies: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.ServiceStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement': {
    values: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.TopologySelectorTerm': {
    matchLabelExpressions: {listType: 'atomic'},
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    matchLabelKeys: {listType: 'atomic'},
  },
  'io.k8s.api.discovery.v1.Endpoint': {
    addresses: {listType: 'set'},
  },
  'io.k8s.api.discovery.v1.EndpointHints': {
    forZones: {listType: 'atomic'},
  },
  'io.k8s.api.discovery.v1.EndpointSlice': {
    endpoints: {listType: 'atomic'},
    ports: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': {
    paths: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.IPBlock': {
    except: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': {
    ports: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': {
    ingress: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.IngressSpec': {
    tls: {listType: 'atomic'},
    rules: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.IngressTLS': {
    hosts: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule': {
    ports: {listType: 'atomic'},
    to: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule': {
    ports: {listType: 'atomic'},
    from: {listType: 'atomic'},
  },
  'io.k8s.api.networking.v1.NetworkPolicySpec': {
    ingress: {listType: 'atomic'},
    egress: {listType: 'atomic'},
    policyTypes: {listType: 'atomic'},
  },
  'io.k8s.api.node.v1.Scheduling': {
    nodeSelector: {mapType: 'atomic'},
    tolerations: {listType: 'atomic'},
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': {
    selector: {strategy: 'replace'},
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': {
    conditions: {mergeKey: 'type', strategy: 'merge', listType: 'map', listMapKeys: ['type']},
  },
  'io.k8s.api.rbac.v1.AggregationRule': {
    clusterRoleSelectors: {listType: 'atomic'},
  },
  'io.k8s.api.rbac.v1.ClusterRole': {
    rules: {listType: 'atomic'},
  },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': {
    subjects: {listType: 'atomic'},
  },
  'io.k8s.api.rbac.v1.PolicyRule': {
    verbs: {listType: 'atomic'},
    apiGroups: {listType: 'atomic'},
    resources: {listType: 'atomic'},
    resourceNames: {listType: 'atomic'},
    nonResourceURLs: {listType: 'atomic'},
  },
  'io.k8s.api.rbac.v1.Role': {
    rules: {listType: 'atomic'},
  },
  'io.k8s.api.rbac.v1.RoleBinding': {
    subjects: {listType: 'atomic'},
  },
  'io.k8s.api.storage.v1.CSIDriverSpec': {
    volumeLifecycleModes: {listType: 'set'},
    tokenRequests: {listType: 'atomic'},
  },
  'io.k8s.api.storage.v1.CSINodeDriver': {
    topologyKeys: {listType: 'atomic'},
  },
  'io.k8s.api.storage.v1.CSINodeSpec': {
    drivers: {mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name']},
  },
  'io.k8s.api.storage.v1.StorageClass': {
    mountOptions: {listType: 'atomic'},
    allowedTopologies: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ConversionRequest': {
    objects: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ConversionResponse': {
    convertedObjects: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames': {
    shortNames: {listType: 'atomic'},
    categories: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': {
    versions: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': {
    conditions: {listType: 'map', listMapKeys: ['type']},
    storedVersions: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion': {
    additionalPrinterColumns: {listType: 'atomic'},
    selectableFields: {listType: 'atomic'},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps': {
    enum: {listType: 'atomic'},
    required: {listType: 'atomic'},
    allOf: {listType: 'atomic'},
    oneOf: {listType: 'atomic'},
    anyOf: {listType: 'atomic'},
    'x-kubernetes-list-map-keys': {listType: 'atomic'},
    'x-kubernetes-validations': {mergeKey: 'rule', strategy: 'merge', listType: 'map', listMapKeys: ['rule']},
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion': {
    conversionReviewVersions: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup': {
    versions: {listType: 'atomic'},
    serverAddressByClientCIDRs: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList': {
    groups: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResource': {
    shortNames: {listType: 'atomic'},
    categories: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList': {
    resources: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions': {
    versions: {listType: 'atomic'},
    serverAddressByClientCIDRs: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ApplyOptions': {
    dryRun: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.CreateOptions': {
    dryRun: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    dryRun: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    values: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    matchExpressions: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    values: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    ownerReferences: {mergeKey: 'uid', strategy: 'merge', listType: 'map', listMapKeys: ['uid']},
    finalizers: {strategy: 'merge', listType: 'set'},
    managedFields: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.PatchOptions': {
    dryRun: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.RootPaths': {
    paths: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    details: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    causes: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Table': {
    columnDefinitions: {listType: 'atomic'},
    rows: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.TableRow': {
    conditions: {listType: 'atomic'},
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.UpdateOptions': {
    dryRun: {listType: 'atomic'},
  },
}

/** SCHEMA_MAP_TYPE maps a schema name to the x-kubernetes-map-type of the type itself (Go `+structType=atomic`). */
export const SCHEMA_MAP_TYPE: Record<string, 'atomic' | 'granular'> = {
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference': 'atomic',
  'io.k8s.api.core.v1.ConfigMapKeySelector': 'atomic',
  'io.k8s.api.core.v1.EndpointAddress': 'atomic',
  'io.k8s.api.core.v1.EndpointPort': 'atomic',
  'io.k8s.api.core.v1.LocalObjectReference': 'atomic',
  'io.k8s.api.core.v1.NodeSelector': 'atomic',
  'io.k8s.api.core.v1.NodeSelectorTerm': 'atomic',
  'io.k8s.api.core.v1.ObjectFieldSelector': 'atomic',
  'io.k8s.api.core.v1.ObjectReference': 'atomic',
  'io.k8s.api.core.v1.ResourceFieldSelector': 'atomic',
  'io.k8s.api.core.v1.ScopeSelector': 'atomic',
  'io.k8s.api.core.v1.SecretKeySelector': 'atomic',
  'io.k8s.api.core.v1.SecretReference': 'atomic',
  'io.k8s.api.core.v1.TopologySelectorTerm': 'atomic',
  'io.k8s.api.core.v1.TypedLocalObjectReference': 'atomic',
  'io.k8s.api.discovery.v1.EndpointPort': 'atomic',
  'io.k8s.api.networking.v1.ServiceBackendPort': 'atomic',
  'io.k8s.api.rbac.v1.RoleRef': 'atomic',
  'io.k8s.api.rbac.v1.Subject': 'atomic',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': 'atomic',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': 'atomic',
}
