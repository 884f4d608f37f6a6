// metrics-server.ts holds the objects minikube's metrics-server addon applies (deploy/addons/metrics-server in
// minikube: the ServiceAccount, the Deployment, the Service and the v1beta1.metrics.k8s.io APIService). The API
// itself is answered in-process by src/daemon/metrics/api.ts once the Deployment's pod is Ready.
import type {KubeObject} from '../../api/object.js'

/** METRICS_SERVER_IMAGE is the image minikube's addon runs. */
export const METRICS_SERVER_IMAGE = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2'

const ADDON_LABELS = {
  'addonmanager.kubernetes.io/mode': 'Reconcile',
  'kubernetes.io/minikube-addons': 'metrics-server',
}

/**
 * metricsServerObjects lists the addon's objects in creation order, each with its resource ref. The APIService
 * (apiregistration.k8s.io/apiservices) comes last: callers whose resource table lacks that group skip it.
 */
export function metricsServerObjects(): {ref: string; obj: KubeObject}[] {
  const labels = {'k8s-app': 'metrics-server'}
  return [
    {
      ref: 'serviceaccounts',
      obj: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {name: 'metrics-server', namespace: 'kube-system', labels: {...ADDON_LABELS, ...labels}},
      },
    },
    {
      ref: 'services',
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'metrics-server',
          namespace: 'kube-system',
          labels: {
            ...ADDON_LABELS,
            'kubernetes.io/minikube-addons-endpoint': 'metrics-server',
            'kubernetes.io/name': 'Metrics-server',
          },
        },
        spec: {selector: labels, ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: 'https'}]},
      } as KubeObject,
    },
    {
      ref: 'apps/deployments',
      obj: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'metrics-server', namespace: 'kube-system', labels: {...ADDON_LABELS, ...labels}},
        spec: {
          replicas: 1,
          selector: {matchLabels: labels},
          strategy: {rollingUpdate: {maxUnavailable: 0}},
          template: {
            metadata: {name: 'metrics-server', labels},
            spec: {
              serviceAccountName: 'metrics-server',
              priorityClassName: 'system-cluster-critical',
              containers: [
                {
                  name: 'metrics-server',
                  image: METRICS_SERVER_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  args: [
                    '--cert-dir=/tmp',
                    '--secure-port=4443',
                    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
                    '--kubelet-use-node-status-port',
                    '--metric-resolution=15s',
                    '--kubelet-insecure-tls',
                  ],
                  ports: [{name: 'https', containerPort: 4443, protocol: 'TCP'}],
                  resources: {requests: {cpu: '100m', memory: '200Mi'}},
                  securityContext: {
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    runAsUser: 1000,
                    allowPrivilegeEscalation: false,
                  },
                  volumeMounts: [{name: 'tmp-dir', mountPath: '/tmp'}],
                },
              ],
              volumes: [{name: 'tmp-dir', emptyDir: {}}],
            },
          },
        },
      } as KubeObject,
    },
    {
      ref: 'apiregistration.k8s.io/apiservices',
      obj: {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: {name: 'v1beta1.metrics.k8s.io', labels: {...ADDON_LABELS, 'k8s-app': 'metrics-server'}},
        spec: {
          service: {name: 'metrics-server', namespace: 'kube-system'},
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      } as KubeObject,
    },
  ]
}
