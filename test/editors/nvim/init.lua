-- Neovim 0.7 config for the Wirelens language server (the same shape works as a user config:
-- point `cmd` at `wirelens-language-server --stdio`). 0.7 has no vim.lsp.start: start_client +
-- buf_attach_client.
local server = vim.env.WL_SERVER
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.cmd('filetype on')

local client_id = nil
local function start()
  if client_id then return client_id end
  client_id = vim.lsp.start_client({
    name = 'wirelens',
    cmd = { vim.env.WL_NODE or 'node', server, '--stdio' },
    root_dir = vim.fn.getcwd(),
  })
  return client_id
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'typescript', 'javascript', 'typescriptreact', 'javascriptreact' },
  callback = function(args)
    local id = start()
    if id then vim.lsp.buf_attach_client(args.buf, id) end
  end,
})
