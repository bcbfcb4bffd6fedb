"""Trace a small pipeline, then look the traces up, tag them and clean up old ones.

MLflow 2 idioms used here: ``mlflow.get_last_active_trace()``, ``request_id=`` keywords of the
trace APIs, ``TraceInfo.request_id`` / ``.execution_time_ms`` / ``.status``, the
``search_traces`` DataFrame columns ``request_id`` / ``status``, ``experiment_ids=`` on
``search_traces`` and ``MlflowClient.delete_traces(request_ids=...)``.
"""

import os

# Write traces synchronously so that they can be read back right away (both versions).
os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

experiment_id = mlflow.set_experiment("tracing-demo").experiment_id


@mlflow.trace
def normalize(text):
    return text.strip().lower()


@mlflow.trace
def answer(question):
    return f"echo: {normalize(question)}"


for question in ["  What is MLflow? ", "How do traces work?", " Bye "]:
    answer(question)

last = mlflow.get_last_active_trace()
assert last is not None
trace = mlflow.get_trace(request_id=last.info.request_id)
assert trace.info.request_id == last.info.request_id
assert trace.info.execution_time_ms is not None and trace.info.execution_time_ms >= 0
print("last trace status:", trace.info.status)

client = MlflowClient()
client.set_trace_tag(request_id=trace.info.request_id, key="reviewed", value="yes")
assert mlflow.get_trace(trace.info.request_id).info.tags["reviewed"] == "yes"

traces = mlflow.search_traces(experiment_ids=[experiment_id])
assert len(traces) == 3, traces
ids = list(traces["request_id"])
assert trace.info.request_id in ids
assert set(traces["status"].astype(str)) <= {"OK", "TraceStatus.OK", "TraceState.OK"}, traces

older = [i for i in ids if i != trace.info.request_id]
deleted = client.delete_traces(experiment_id, request_ids=older)
assert deleted == 2, deleted
remaining = mlflow.search_traces(experiment_ids=[experiment_id])
assert list(remaining["request_id"]) == [trace.info.request_id]
print("ok: traced, tagged and cleaned up", len(ids), "traces")
