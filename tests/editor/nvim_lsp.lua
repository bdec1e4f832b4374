-- End to end in a real Neovim (0.11), headless:
--   nvim --headless -u NONE -l nvim_lsp.lua PMLINT FILE
-- Starts `PMLINT server` on FILE, waits for its diagnostics, applies the quick fix for line 11
-- ("June 10" -> "May 10"), then edits the buffer back and times how long the diagnostics take
-- to follow. Prints one JSON object on stdout; exits 1 with a reason on stderr if a step fails.
local pmlint, file = arg[1], arg[2]

local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  os.exit(1)
end

-- As a user's setup would: .txt is `text`, .md `markdown` (the languageId the server sees).
vim.cmd('filetype on')
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start({
  name = 'pmlint',
  cmd = { pmlint, 'server' },
  root_dir = vim.fs.dirname(file),
}, { bufnr = buf })
if not client_id then
  fail('vim.lsp.start returned nil')
end
local client = vim.lsp.get_client_by_id(client_id)

-- Pulled and pushed diagnostics live in separate namespaces: a finding counts once.
local function snapshot()
  local out, seen = {}, {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local key = (d.lnum + 1) .. ':' .. tostring(d.code) .. ':' .. d.message
    if not seen[key] then
      seen[key] = true
      table.insert(out, { line = d.lnum + 1, code = d.code, severity = d.severity, message = d.message })
    end
  end
  table.sort(out, function(a, b)
    if a.line ~= b.line then
      return a.line < b.line
    end
    return tostring(a.code) < tostring(b.code)
  end)
  return out
end

local function has(code, line)
  for _, d in ipairs(snapshot()) do
    if d.code == code and (line == nil or d.line == line) then
      return true
    end
  end
  return false
end

if not vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 10) then
  fail('no diagnostics within 10 s')
end
-- Let a pull and a push settle on the same set.
vim.wait(200)
local before = snapshot()
if not has('PM203', 11) then
  fail('no PM203 on line 11: ' .. vim.json.encode(before))
end

-- The code actions on line 11, column of "June".
local line11 = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
local col = (line11:find('June', 1, true) or 1) - 1
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 10, character = col }, ['end'] = { line = 10, character = col } },
  context = { diagnostics = vim.lsp.diagnostic.from(vim.diagnostic.get(buf, { lnum = 10 })), only = nil },
}
local reply = client:request_sync('textDocument/codeAction', params, 5000, buf)
if not reply or reply.err or not reply.result then
  fail('codeAction failed: ' .. vim.inspect(reply))
end
local titles, may = {}, nil
for _, action in ipairs(reply.result) do
  table.insert(titles, action.title)
  local edit = action.edit
  if edit and not may then
    local changes = edit.changes or {}
    for _, edits in pairs(changes) do
      for _, e in ipairs(edits) do
        if e.newText == 'May' then
          may = action
        end
      end
    end
    for _, dc in ipairs(edit.documentChanges or {}) do
      for _, e in ipairs(dc.edits or {}) do
        if e.newText == 'May' then
          may = action
        end
      end
    end
  end
end
if not may then
  fail('no code action replaces June with May: ' .. vim.json.encode(titles))
end
vim.lsp.util.apply_workspace_edit(may.edit, client.offset_encoding)
local fixed_line = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
if not fixed_line:find('^%- May 10, 2023') then
  fail('line 11 after the fix: ' .. fixed_line)
end
if not vim.wait(5000, function() return not has('PM203') end, 5) then
  fail('PM203 still reported after the fix: ' .. vim.json.encode(snapshot()))
end
local after_fix = snapshot()

-- An edit that brings the mistake back: the diagnostics must follow.
local t0 = vim.uv.hrtime()
vim.api.nvim_buf_set_lines(buf, 10, 11, false, { line11 })
if not vim.wait(5000, function() return has('PM203', 11) end, 1) then
  fail('PM203 did not come back after the edit')
end
local latency_ms = (vim.uv.hrtime() - t0) / 1e6

io.stdout:write(vim.json.encode({
  before = before,
  titles = titles,
  fixed_line = fixed_line,
  after_fix = after_fix,
  latency_ms = latency_ms,
  offset_encoding = client.offset_encoding,
}) .. '\n')
client:stop()
vim.wait(1000, function() return client:is_stopped() end, 10)
os.exit(0)
