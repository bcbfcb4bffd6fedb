-- Drives one headless Neovim session through the user's path (config/init.lua is loaded
-- with -u): open the file, wait for diagnostics, hover, quick fix, fix all, save.
-- Inputs come from E2E_* environment variables; observations are written as JSON to
-- E2E_REPORT after every step, so a timeout still leaves what was seen so far.
-- Works on Neovim 0.7 (start_client era) and newer (tested on 0.7.2 and 0.11.4).

local env = vim.env
local report = { steps = {} }
local STEP_TIMEOUT = tonumber(env.E2E_STEP_TIMEOUT_MS or '20000')

local function save_report()
  vim.fn.writefile({ vim.fn.json_encode(report) }, env.E2E_REPORT)
end

local function step(name)
  table.insert(report.steps, name)
  save_report()
end

-- Messages Neovim shows the user ("Client 1 quit with exit code 2", "No code actions
-- available", ...); a server that quit ends every wait at once.
report.messages = {}
local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(report.messages, tostring(msg))
  return notify(msg, level, opts)
end

local function server_quit()
  for _, msg in ipairs(report.messages) do
    if msg:find('quit with exit code', 1, true) then
      return msg
    end
  end
end

local function wait_for(what, predicate)
  local ok = vim.wait(STEP_TIMEOUT, function()
    return predicate() or server_quit() ~= nil
  end, 20)
  if server_quit() then
    error('while waiting for ' .. what .. ': ' .. server_quit(), 2)
  end
  if not ok then
    error('timed out after ' .. STEP_TIMEOUT .. ' ms waiting for ' .. what, 2)
  end
end

-- Count diagnostic updates, so that a wait after an edit sees the server's new answer
-- and not the count left over from before. Neovim 0.7 gets them pushed
-- (publishDiagnostics), 0.11 pulls them (textDocument/diagnostic): count both alike.
local publishes = 0
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function()
    publishes = publishes + 1
  end,
})

-- Client methods are called with `:` from 0.11 on (the `.` form is deprecated there).
local function call(client, method, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function buffer_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, client)
  end
  return list
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n'
end

local function diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local text = ''
    if d.lnum == d.end_lnum then
      local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] or ''
      text = line:sub(d.col + 1, d.end_col)
    end
    table.insert(out, {
      code = d.code or lsp.code,
      source = d.source,
      severity = d.severity == vim.diagnostic.severity.WARN and 'warning'
        or d.severity == vim.diagnostic.severity.ERROR and 'error'
        or d.severity == vim.diagnostic.severity.INFO and 'information'
        or 'hint',
      message = d.message,
      line = d.lnum, -- 0-based
      col = d.col, -- 0-based byte column, converted by Neovim from the client's encoding
      end_line = d.end_lnum,
      end_col = d.end_col,
      text = text,
    })
  end
  table.sort(out, function(a, b)
    return a.line < b.line or (a.line == b.line and a.col < b.col)
  end)
  return out
end

-- Wait for a report newer than `since` with `want` diagnostics; record what is shown
-- in `record.diagnostics` either way, so a wrong count is reported with the details.
local function wait_for_diagnostics(bufnr, since, want, record, what)
  local ok, err = pcall(wait_for, want .. ' ' .. what, function()
    return publishes > since and #vim.diagnostic.get(bufnr) == want
  end)
  record.diagnostics = diagnostics(bufnr)
  save_report()
  if not ok then
    error(err, 2)
  end
end

local function floating_windows()
  local wins = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      table.insert(wins, win)
    end
  end
  return wins
end

-- The code-action menu is vim.ui.select; answer it like a user would, and record it.
-- `choices` are predicates tried in order; the first that matches an item picks it.
local function answer_menu(record, choices)
  vim.ui.select = function(items, _, on_choice)
    record.offered = {}
    local actions = {}
    for _, item in ipairs(items) do
      local action = item.action or item[2] -- {client_id, action} until 0.10
      table.insert(actions, action)
      table.insert(record.offered, {
        title = action.title,
        kind = action.kind or vim.NIL,
        is_preferred = action.isPreferred or false,
      })
    end
    for rank, choose in ipairs(choices) do
      for i, action in ipairs(actions) do
        if choose(action) then
          record.chosen = action.title
          record.chosen_by = rank
          save_report()
          on_choice(items[i])
          return
        end
      end
    end
    record.no_match = true
    save_report()
    on_choice(nil)
  end
end

-- A message such as "No code actions available" ends the wait for an edit early.
local function wait_for_edit(record, bufnr, tick, what)
  local seen = #report.messages
  wait_for(what, function()
    return record.no_match
      or #report.messages > seen
      or vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end)
  if record.no_match then
    error(what .. ': no offered action fits; offered ' .. vim.inspect(record.offered), 2)
  end
  local changed = function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end
  if not vim.wait(1000, changed, 20) then
    error(what .. ': Neovim said ' .. report.messages[#report.messages], 2)
  end
end

local function code_action(only)
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ context = { only = only } })
  else
    vim.lsp.buf.code_action({ only = only })
  end
end

local function main()
  step('open')
  vim.cmd('edit ' .. vim.fn.fnameescape(env.E2E_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype

  wait_for('the language server to attach', function()
    local clients = buffer_clients(bufnr)
    return #clients > 0
  end)
  local client = buffer_clients(bufnr)[1]
  report.client = { name = client.name, offset_encoding = client.offset_encoding }
  step('attached')

  wait_for_diagnostics(bufnr, 0, tonumber(env.E2E_DIAGNOSTICS), report, 'diagnostics')
  vim.wait(300) -- let a late extra report arrive, so that too many is noticed
  report.diagnostics = diagnostics(bufnr)
  step('diagnostics')

  -- What the server resolved for this root (interpreter, encoding, settings).
  local shown = call(
    client,
    'request_sync',
    'workspace/executeCommand',
    { command = 'mlflow-upgrade.showLog', arguments = {} },
    STEP_TIMEOUT,
    bufnr
  )
  report.server_log = shown and shown.result or vim.NIL
  step('server_log')

  -- Cursor on the finding after the non-ASCII text (byte columns in the buffer).
  local target
  for _, d in ipairs(report.diagnostics) do
    if d.line == tonumber(env.E2E_TARGET_LINE) - 1 and d.code == env.E2E_TARGET_CODE then
      target = d
    end
  end
  if not target then
    error('no ' .. env.E2E_TARGET_CODE .. ' diagnostic on line ' .. env.E2E_TARGET_LINE)
  end
  vim.api.nvim_win_set_cursor(0, { target.line + 1, target.col })

  -- Hover through the real UI path: the floating preview window.
  local seen = #report.messages
  vim.lsp.buf.hover()
  wait_for('the hover window', function()
    return #floating_windows() > 0 or #report.messages > seen -- "No information available"
  end)
  local win = floating_windows()[1]
  if not win then
    error('no hover window; Neovim said ' .. report.messages[#report.messages])
  end
  report.hover = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
  vim.api.nvim_win_close(win, true)
  step('hover')

  -- Quick fix through vim.lsp.buf.code_action and its menu.
  vim.api.nvim_win_set_cursor(0, { target.line + 1, target.col })
  report.quickfix = {}
  local title = env.E2E_FIX_TITLE
  answer_menu(report.quickfix, {
    function(action) -- the fix the CLI describes
      return action.kind == 'quickfix' and action.title:find(title, 1, true) ~= nil
    end,
    function(action) -- else the preferred one
      return action.kind == 'quickfix' and action.isPreferred
    end,
  })
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local before = publishes
  code_action({ 'quickfix' })
  wait_for_edit(report.quickfix, bufnr, tick, 'the quick fix to change the buffer')
  report.quickfix.text = buffer_text(bufnr)
  local want = tonumber(env.E2E_DIAGNOSTICS_AFTER_QUICKFIX)
  wait_for_diagnostics(bufnr, before, want, report.quickfix, 'diagnostics after the quick fix')
  step('quickfix')

  -- Fix all: `only` is the parent kind, as users write it; the server must match it.
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  report.fix_all = {}
  answer_menu(report.fix_all, {
    function(action)
      return action.kind == env.E2E_FIX_ALL_KIND
    end,
  })
  tick = vim.api.nvim_buf_get_changedtick(bufnr)
  before = publishes
  code_action({ 'source.fixAll' })
  wait_for_edit(report.fix_all, bufnr, tick, 'fix all to change the buffer')
  report.fix_all.text = buffer_text(bufnr)
  want = tonumber(env.E2E_DIAGNOSTICS_AFTER_FIX_ALL)
  wait_for_diagnostics(bufnr, before, want, report.fix_all, 'diagnostics after fix all')
  step('fix_all')

  vim.cmd('silent write')
  report.modified_after_write = vim.bo[bufnr].modified
  step('saved')

  call(client, 'stop')
  vim.wait(3000, function()
    return call(client, 'is_stopped')
  end, 20)
  report.server_stopped = call(client, 'is_stopped')
  vim.wait(200) -- a non-zero exit status is announced (vim.notify) from a scheduled callback
  step('done')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  report.error = err
  save_report()
  io.stderr:write(err .. '\n')
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
