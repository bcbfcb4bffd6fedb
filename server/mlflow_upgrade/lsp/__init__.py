"""The language server: `mlflow-upgrade lsp` (see docs/lsp.md)."""
