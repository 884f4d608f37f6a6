#!/bin/bash
[ "$(kubectl get svc web -n shop -o jsonpath='{.spec.ports[0].port}')" = "80" ]
kubectl get endpoints web -n shop | grep 80 > /dev/null
curl -s web.shop.svc | grep -q nginx
sleep 1
exit 0
