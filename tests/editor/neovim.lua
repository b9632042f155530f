-- Drives Neovim's own LSP client against `muster lsp`: opens a page, waits for its
-- diagnostics, asks for completion at a place, and writes what it got as JSON.
-- Written for Neovim 0.7 (Debian 12) and later: start_client and buf_request_sync
-- exist in all of them. Settings come from the environment (tests/editor.rs).
local site = os.getenv("MUSTER_SITE")
local page = os.getenv("MUSTER_PAGE")
local out = os.getenv("MUSTER_OUT")
local line = tonumber(os.getenv("MUSTER_LINE"))
local character = tonumber(os.getenv("MUSTER_CHARACTER"))

local function finish(result)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local client_id = vim.lsp.start_client({
  name = "muster",
  cmd = { os.getenv("MUSTER_BIN"), "lsp", "--root", site },
  root_dir = site,
})
if not client_id then
  finish({ error = "the LSP client did not start" })
  return
end
vim.cmd("edit " .. vim.fn.fnameescape(page))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

vim.wait(60000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(diagnostics, {
    line = d.lnum,
    col = d.col,
    code = code,
    message = d.message,
    source = d.source,
  })
end

local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = line, character = character },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 60000) or {}
local completion = {}
for _, response in pairs(responses) do
  local result = response.result or {}
  for _, item in ipairs(result.items or result) do
    local insert = item.insertText
    if item.textEdit then
      insert = item.textEdit.newText
    end
    table.insert(completion, { label = item.label, insert = insert })
  end
end
finish({ diagnostics = diagnostics, completion = completion })
