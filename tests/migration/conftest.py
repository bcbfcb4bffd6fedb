"""The scripts under scripts/ are MLflow 2 programs run by test_migration.py, never collected."""

collect_ignore_glob = ["scripts/*"]
