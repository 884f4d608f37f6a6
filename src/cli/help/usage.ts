// usage.ts holds kubectl 1.32's usage lines (cobra's UseLine as kubectl's templater prints it, less the ` [options]`
// suffix), by command id. The help renderer prints these for the commands mkctl shares with kubectl, so that
// `mkctl <verb> --help` ends with kubectl's Usage: section; the texts are kubectl's documented CLI syntax.

/** KUBECTL_USAGE maps a command id (`config:set-context`) to kubectl's usage line, without the binary name. */
export const KUBECTL_USAGE: Record<string, string> = {
  create: 'create -f FILENAME',
  expose:
    'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]',
  run: 'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]',
  set: 'set SUBCOMMAND',
  explain:
    'explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]',
  get: 'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
  edit: 'edit (RESOURCE/NAME | -f FILENAME)',
  delete: 'delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])',
  rollout: 'rollout SUBCOMMAND',
  scale: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)',
  autoscale: 'autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]',
  certificate: 'certificate SUBCOMMAND',
  'cluster-info': 'cluster-info [flags]',
  top: 'top [flags]',
  cordon: 'cordon NODE',
  uncordon: 'uncordon NODE',
  drain: 'drain NODE',
  taint: 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
  describe: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)',
  logs: 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]',
  attach: 'attach (POD | TYPE/NAME) -c CONTAINER',
  exec: 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  'port-forward': 'port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  proxy: 'proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix]',
  cp: 'cp <file-spec-src> <file-spec-dest>',
  auth: 'auth [flags]',
  debug: 'debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ]',
  events:
    'events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]',
  diff: 'diff -f FILENAME',
  apply: 'apply (-f FILENAME | -k DIRECTORY)',
  patch: 'patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]',
  replace: 'replace -f FILENAME',
  wait: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
  kustomize: 'kustomize DIR [flags]',
  label: 'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
  annotate: 'annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
  completion: 'completion SHELL',
  'api-resources': 'api-resources [flags]',
  'api-versions': 'api-versions',
  config: 'config SUBCOMMAND',
  plugin: 'plugin [flags]',
  version: 'version [flags]',
  'create:clusterrole':
    'create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]',
  'create:clusterrolebinding':
    'create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  'create:configmap':
    'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  'create:cronjob': "create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags]",
  'create:deployment': 'create deployment NAME --image=image -- [COMMAND] [args...]',
  'create:ingress': 'create ingress NAME --rule=host/path=service:port[,tls[=secret]] ',
  'create:job': 'create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]',
  'create:namespace': 'create namespace NAME [--dry-run=server|client|none]',
  'create:poddisruptionbudget':
    'create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]',
  'create:priorityclass':
    'create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]',
  'create:quota':
    'create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none]',
  'create:role':
    'create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]',
  'create:rolebinding':
    'create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  'create:secret': 'create secret (docker-registry | generic | tls)',
  'create:service': 'create service [flags]',
  'create:serviceaccount': 'create serviceaccount NAME [--dry-run=server|client|none]',
  'create:token': 'create token SERVICE_ACCOUNT_NAME',
  'set:env': 'set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N',
  'set:image':
    'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N',
  'set:resources': 'set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]',
  'set:selector': 'set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]',
  'set:serviceaccount': 'set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT',
  'set:subject':
    'set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  'rollout:history': 'rollout history (TYPE NAME | TYPE/NAME) [flags]',
  'rollout:pause': 'rollout pause RESOURCE',
  'rollout:restart': 'rollout restart RESOURCE',
  'rollout:resume': 'rollout resume RESOURCE',
  'rollout:status': 'rollout status (TYPE NAME | TYPE/NAME) [flags]',
  'rollout:undo': 'rollout undo (TYPE NAME | TYPE/NAME) [flags]',
  'certificate:approve': 'certificate approve (-f FILENAME | NAME)',
  'certificate:deny': 'certificate deny (-f FILENAME | NAME)',
  'cluster-info:dump': 'cluster-info dump [flags]',
  'top:node': 'top node [NAME | -l label]',
  'top:pod': 'top pod [NAME | -l label]',
  'auth:can-i': 'auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]',
  'auth:reconcile': 'auth reconcile -f FILENAME',
  'auth:whoami': 'auth whoami',
  'apply:edit-last-applied': 'apply edit-last-applied (RESOURCE/NAME | -f FILENAME)',
  'apply:set-last-applied': 'apply set-last-applied -f FILENAME',
  'apply:view-last-applied': 'apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME)',
  'config:current-context': 'config current-context [flags]',
  'config:delete-cluster': 'config delete-cluster NAME',
  'config:delete-context': 'config delete-context NAME',
  'config:delete-user': 'config delete-user NAME',
  'config:get-clusters': 'config get-clusters [flags]',
  'config:get-contexts': 'config get-contexts [(-o|--output=)name)]',
  'config:get-users': 'config get-users [flags]',
  'config:rename-context': 'config rename-context CONTEXT_NAME NEW_NAME',
  'config:set': 'config set PROPERTY_NAME PROPERTY_VALUE',
  'config:set-cluster':
    'config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com]',
  'config:set-context':
    'config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace]',
  'config:set-credentials':
    'config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [--auth-provider=provider_name] [--auth-provider-arg=key=value] [--exec-command=exec_command] [--exec-api-version=exec_api_version] [--exec-arg=arg] [--exec-env=key=value]',
  'config:unset': 'config unset PROPERTY_NAME',
  'config:use-context': 'config use-context CONTEXT_NAME',
  'config:view': 'config view [flags]',
  'plugin:list': 'plugin list [flags]',
  'create:secret:docker-registry':
    'create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]',
  'create:secret:generic':
    'create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  'create:secret:tls':
    'create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]',
  'create:service:clusterip':
    'create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]',
  'create:service:externalname':
    'create service externalname NAME --external-name external.name [--dry-run=server|client|none]',
  'create:service:loadbalancer':
    'create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
  'create:service:nodeport': 'create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
}
