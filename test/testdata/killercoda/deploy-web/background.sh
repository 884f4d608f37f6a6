#!/bin/bash
kubectl create namespace shop
kubectl apply -f - <<EOF2
apiVersion: v1
kind: ConfigMap
metadata:
  name: site
  namespace: shop
data:
  greeting: hello
EOF2
echo done > /tmp/background-finished
