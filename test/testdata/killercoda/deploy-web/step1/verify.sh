#!/bin/bash
set -e
kubectl -n shop get deploy web
kubectl get deploy web -n shop -o jsonpath='{.spec.replicas}' | grep -q 3
kubectl get deploy web -n shop -o jsonpath='{.spec.template.spec.containers[0].image}' | grep -x nginx:1.27
