#!/bin/bash
kubectl get pod broken -o jsonpath='{.spec.containers[0].image}' | grep -x 'nginx:1.27'
kubectl get pod broken -o go-template='{{.status.phase}}' | grep -q Running
[ "$(kubectl get pods -l app=api -o jsonpath='{.items[*].metadata.name}' | wc -w)" -ge 1 ]
if kubectl get pod broken | grep -q ErrImagePull; then
  exit 1
fi
