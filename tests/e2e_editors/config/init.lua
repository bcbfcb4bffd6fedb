-- mlflow-upgrade language server for Neovim 0.7 or newer, without plugins.
-- `mlflow-upgrade` must be on PATH (for example `pipx install mlflow-upgrade`).
local mlflow_upgrade = {
  name = 'mlflow-upgrade',
  cmd = { 'mlflow-upgrade', 'lsp' },
  settings = {
    mlflowUpgrade = {
      -- interpreter = '/path/to/project/.venv/bin/python', -- default: the project's .venv
      unsafeFixes = false,
    },
  },
}

local root_markers = { 'pyproject.toml', 'setup.cfg', 'setup.py', '.git' }

local function find_root(bufnr)
  local start = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  local dir = start
  while true do
    for _, marker in ipairs(root_markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local clients = {} -- Neovim 0.7: one client per project root

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  group = vim.api.nvim_create_augroup('mlflow-upgrade', { clear = true }),
  callback = function(args)
    if vim.bo[args.buf].buftype ~= '' then
      return
    end
    local config = vim.tbl_extend('force', mlflow_upgrade, { root_dir = find_root(args.buf) })
    if vim.lsp.start then -- Neovim 0.8 and newer
      vim.lsp.start(config, { bufnr = args.buf })
      return
    end
    -- Neovim 0.7: no vim.lsp.start, and `settings` are sent only when asked for.
    config.on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end
    local id = clients[config.root_dir]
    local client = id and vim.lsp.get_client_by_id(id)
    if not client or client.is_stopped() then
      id = vim.lsp.start_client(config)
      clients[config.root_dir] = id
    end
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
