vim.lsp.config('mlflow_upgrade', {
  cmd = { 'mlflow-upgrade', 'lsp' },
  filetypes = { 'python' },
  root_markers = { 'pyproject.toml', 'setup.cfg', 'setup.py', '.git' },
  settings = { mlflowUpgrade = { unsafeFixes = false } },
})
vim.lsp.enable('mlflow_upgrade')
