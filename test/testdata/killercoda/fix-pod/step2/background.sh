#!/bin/bash
kubectl run broken --image=nginx:1.277 --labels=app=api
while ! kubectl get pod broken; do sleep 1; done
kubectl apply -f /root/extra.yaml
