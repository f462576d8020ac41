-- Drives one session: waits for pushed diagnostics, hovers the `fetch` call, asks for code actions
-- on the axios diagnostic, applies the preferred fix and waits for the diagnostic to go away.
-- Writes what it saw as JSON to $WL_OUT and exits 0 only when every step worked.
local T = tonumber(vim.env.WL_TIMEOUT_MS or '15000')
local out = { steps = {} }
local function finish(code)
  local f = io.open(vim.env.WL_OUT, 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  for _, c in ipairs(vim.lsp.get_active_clients()) do c.stop() end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end
local watchdog = vim.loop.new_timer()
watchdog:start(T * 3, 0, vim.schedule_wrap(function() out.error = 'watchdog'; finish(3) end))

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  assert(vim.wait(T, function() return #vim.lsp.buf_get_clients(bufnr) > 0 end, 10), 'client never attached')
  local client = vim.lsp.get_active_clients()[1]
  assert(vim.wait(T, function() return #vim.diagnostic.get(bufnr) >= 2 end, 10), 'no diagnostics')
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diagnostics, { code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code, lnum = d.lnum, col = d.col, message = d.message, severity = d.severity, hasUserData = d.user_data ~= nil })
  end
  table.insert(out.steps, 'diagnostics')

  vim.fn.cursor(1, 1)
  assert(vim.fn.search('\\<fetch(', 'cW') > 0, 'no fetch in buffer')
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local hov = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, T)
  assert(hov and hov[client.id] and hov[client.id].result, 'no hover')
  out.hover = hov[client.id].result.contents.value
  table.insert(out.steps, 'hover')

  -- Back to LSP form the way Neovim's own code-action request does it (0.7 keeps only some
  -- fields in user_data.lsp).
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp
    if lsp and lsp.code == 'outbound-request-without-timeout' and d.severity == vim.diagnostic.severity.WARN then
      for _, ld in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum)) do
        if ld.code == lsp.code then target = ld end
      end
    end
  end
  assert(target, 'no axios diagnostic')
  local ca = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = target.range,
    context = { diagnostics = { target } },
  }, T)
  assert(ca and ca[client.id] and ca[client.id].result, 'no code actions')
  out.actions = {}
  local preferred
  for _, a in ipairs(ca[client.id].result) do
    table.insert(out.actions, a.title)
    if a.isPreferred then preferred = a end
  end
  assert(preferred, "no preferred fix")
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  table.insert(out.steps, 'codeAction')

  local line = target.range.start.line
  assert(vim.wait(T, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.lnum == line and d.user_data.lsp.code == 'outbound-request-without-timeout' then return false end
    end
    return true
  end, 10), 'diagnostic still there after the fix')
  out.fixedLine = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  table.insert(out.steps, 'fixed')
end)
if not ok then out.error = tostring(err) end
finish(ok and 0 or 1)
