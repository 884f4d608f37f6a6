// fixtures.ts holds the objects the patch tests start from.

/** deployment returns a Deployment with merging lists of every flavour. */
export function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: {app: 'web', tier: 'fe'},
      annotations: {note: '1'},
      finalizers: ['example.com/a', 'example.com/b'],
    },
    spec: {
      replicas: 2,
      selector: {matchLabels: {app: 'web'}},
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              args: ['-g', 'daemon off;'],
              env: [
                {name: 'A', value: 'a'},
                {name: 'B', value: 'b'},
              ],
              ports: [{containerPort: 80, protocol: 'TCP'}, {containerPort: 443}],
              volumeMounts: [{name: 'data', mountPath: '/data'}],
            },
            {name: 'sidecar', image: 'busybox', command: ['sleep', '3600']},
          ],
          volumes: [
            {name: 'data', emptyDir: {}},
            {name: 'cfg', configMap: {name: 'cfg', defaultMode: 420}},
          ],
          tolerations: [{key: 'k', operator: 'Exists'}],
        },
      },
    },
  }
}

/** pod returns a Pod with two containers. */
export function pod(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'p', namespace: 'default', ownerReferences: [{apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1'}]},
    spec: {
      containers: [
        {name: 'app', image: 'busybox', env: [{name: 'X', value: '1'}]},
        {name: 'log', image: 'fluentd'},
      ],
      imagePullSecrets: [{name: 'reg'}],
      nodeSelector: {disk: 'ssd'},
    },
  }
}

/** service returns a Service with two ports. */
export function service(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 's', labels: {app: 's'}},
    spec: {
      selector: {app: 's'},
      ports: [
        {name: 'http', port: 80, targetPort: 8080, protocol: 'TCP'},
        {name: 'https', port: 443, targetPort: 8443, protocol: 'TCP'},
      ],
      externalIPs: ['1.2.3.4'],
    },
  }
}
