-- Headless end-to-end test of editors/neovim against a real `aura lsp`:
-- diagnostics arrive, hover answers, a quick fix applies through Neovim's own
-- code-action path, and the user commands reach the server.
--
--   AURA_BIN=target/debug/aura AURA_NVIM_PLUGIN=editors/neovim AURA_FIXTURE=/tmp/x/app.py \
--     nvim --headless -u NONE -c 'luafile editors/neovim/test/smoke.lua'
--
-- Prints one "ok: ..." line per check; exits non-zero on the first failure.

local function env(name)
  local value = os.getenv(name)
  if not value or value == '' then
    io.stderr:write('FAIL: ' .. name .. ' is not set\n')
    vim.cmd('cquit 2')
  end
  return value
end

local bin, plugin, fixture = env('AURA_BIN'), env('AURA_NVIM_PLUGIN'), env('AURA_FIXTURE')
local timeout = tonumber(os.getenv('AURA_NVIM_TIMEOUT_MS') or '20000')

local function fail(message)
  io.stderr:write('FAIL: ' .. message .. '\n')
  io.stderr:flush()
  vim.cmd('cquit 1')
end

local function ok(message)
  io.stdout:write('ok: ' .. message .. '\n')
  io.stdout:flush()
end

-- Failures inside callbacks must still end the process.
local function check(cond, message)
  if not cond then fail(message) end
end

local notes = {}
vim.notify = function(message) table.insert(notes, message) end

vim.opt.runtimepath:prepend(plugin)
vim.cmd('filetype on')
local aura = require('aura')
aura.setup({ cmd = { bin, 'lsp' }, settings = { diagnostics = { debounce_ms = 20 } } })

vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'python', 'filetype is ' .. vim.bo[buf].filetype)
ok('neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor))

check(vim.wait(timeout, function() return aura.client(buf) ~= nil end, 50), 'aura never attached')
ok('attached')

local function broad_except()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'AUR202' then return d end
  end
end
check(vim.wait(timeout, function() return broad_except() ~= nil end, 50),
  'no AUR202 diagnostic; got ' .. vim.inspect(vim.diagnostic.get(buf)))
local diagnostic = broad_except()
check(diagnostic.source == 'aura', 'diagnostic source ' .. tostring(diagnostic.source))
ok('diagnostic ' .. diagnostic.code .. ' on line ' .. (diagnostic.lnum + 1))

-- Hover on the function name: Aura's metrics.
local def_line
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line:match('^def load') then def_line = i - 1 end
end
check(def_line ~= nil, 'fixture has no `def load`')
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = def_line, character = 5 },
}, timeout)
local hover_text = ''
for _, response in pairs(hover or {}) do
  local contents = response.result and response.result.contents
  if type(contents) == 'table' then hover_text = hover_text .. (contents.value or vim.inspect(contents)) end
end
check(hover_text:find('[Cc]yclomatic') ~= nil, 'hover lacks metrics: ' .. hover_text)
ok('hover shows metrics')

-- The quick fix, picked through vim.ui.select as a user would.
local picked
vim.ui.select = function(items, _, on_choice)
  for index, item in ipairs(items) do
    local action = item.action or item[2]
    if action and action.title and action.title:find('Exception', 1, true) then
      picked = action.title
      return on_choice(item, index)
    end
  end
  on_choice(nil, nil)
end
vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
vim.lsp.buf.code_action()
local fixed_line = diagnostic.lnum
check(vim.wait(timeout, function()
  local line = vim.api.nvim_buf_get_lines(buf, fixed_line, fixed_line + 1, false)[1] or ''
  return line:find('except Exception:', 1, true) ~= nil
end, 50), 'quick fix not applied (picked ' .. tostring(picked) .. '): '
  .. tostring(vim.api.nvim_buf_get_lines(buf, fixed_line, fixed_line + 1, false)[1]))
ok('quick fix applied: ' .. picked)
check(vim.wait(timeout, function() return broad_except() == nil end, 50), 'AUR202 still reported after the fix')
ok('diagnostic cleared after the fix')

-- User commands reach the server and report back.
local function command_note(cmd, pattern)
  local before = #notes
  vim.cmd(cmd)
  local found
  check(vim.wait(timeout, function()
    for i = before + 1, #notes do
      if notes[i]:find(pattern) then found = notes[i] return true end
    end
    return false
  end, 50), cmd .. ' gave no note matching ' .. pattern .. ': ' .. vim.inspect(notes))
  ok(cmd .. ' -> ' .. found:gsub('\n', ' '))
end
command_note('AuraBranchName add user login', 'feat/user%-login')
command_note('AuraRoute write a pytest for this', 'routed to program 19')
command_note('AuraUndo', 'nothing to undo')
command_note('AuraMetrics', 'not on a function header')
vim.api.nvim_win_set_cursor(0, { def_line + 1, 0 })
command_note('AuraMetrics', 'load: cyclomatic 2')
command_note('AuraStatus', '^Aura: aura')

vim.cmd('qall!')
