#!/usr/bin/env bash
# Start the team's LLM gateway next to the tracking server.
set -euo pipefail
export MLFLOW_DEPLOYMENTS_CONFIG=gateway.yaml
export MLFLOW_GCS_DEFAULT_TIMEOUT=600
mlflow deployments start-server --config-path gateway.yaml --port 7000 &
mlflow server --backend-store-uri ./mlruns --port 5000
