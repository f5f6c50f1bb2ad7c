-- Aura for Neovim: starts `aura lsp` for Aura's 13 languages and adds user
-- commands for Aura's workspace/executeCommand commands.
--
-- Works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client), 0.8–0.10
-- (vim.lsp.start) and 0.11+ (vim.lsp.config + vim.lsp.enable).
--
--   require('aura').setup({ cmd = { 'aura', 'lsp' }, settings = { lens = { complexity = true } } })
--
-- `settings` uses the keys of `.aura/config.toml`; it is sent as
-- initializationOptions and answered to workspace/configuration (section "aura").

local M = {}

-- Neovim filetypes for Python, JavaScript, TypeScript, TSX, Rust, Go, Java,
-- C, C++, C#, Ruby, PHP and Bash.
M.filetypes = {
  'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'rust', 'go',
  'java', 'c', 'cpp', 'cs', 'ruby', 'php', 'sh', 'bash',
}

M.root_markers = { '.aura', '.git' }

local defaults = { cmd = { 'aura', 'lsp' }, settings = {}, commands = true }

M.options = vim.deepcopy(defaults)

-- Provider health from the `aura/status` notification, for statuslines.
M.state = { providers = {}, progress = nil }

local has = function(feature) return vim.fn.has(feature) == 1 end

local function notify(message, level)
  vim.notify('Aura: ' .. message, level or vim.log.levels.INFO)
end

local function is_dir_or_file(path)
  return (vim.loop or vim.uv).fs_stat(path) ~= nil
end

-- The nearest ancestor holding a root marker, else the file's own folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local current = dir
  while true do
    for _, marker in ipairs(M.root_markers) do
      if is_dir_or_file(current .. '/' .. marker) then return current end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then return dir end
    current = parent
  end
end

-- Neovim 0.7 has no window/showDocument handler: open the file in a split.
local function show_document(_, result)
  if not result or not result.uri then return { success = false } end
  local path = vim.uri_to_fname(result.uri)
  vim.schedule(function()
    vim.cmd((result.takeFocus == false and 'badd ' or 'split ') .. vim.fn.fnameescape(path))
  end)
  return { success = true }
end

local function on_status(_, result)
  M.state.providers = (result and result.providers) or {}
  vim.schedule(function()
    vim.api.nvim_exec_autocmds('User', { pattern = 'AuraStatus', modeline = false })
  end)
end

-- "aura: smollm2 ok" style text for a statusline.
function M.status()
  local parts = {}
  for _, p in ipairs(M.state.providers) do
    table.insert(parts, p.name .. ' ' .. (p.state == 'healthy' and 'ok' or p.state))
  end
  if #parts == 0 then return 'aura' end
  return 'aura: ' .. table.concat(parts, ', ')
end

-- The client configuration shared by every Neovim version.
function M.client_config()
  local handlers = { ['aura/status'] = on_status }
  if not vim.lsp.handlers['window/showDocument'] then
    handlers['window/showDocument'] = show_document
  end
  return {
    name = 'aura',
    cmd = M.options.cmd,
    filetypes = M.filetypes,
    root_markers = M.root_markers,
    init_options = M.options.settings,
    settings = { aura = M.options.settings },
    handlers = handlers,
  }
end

local legacy_clients = {}

-- Attach Aura to a buffer (Neovim before 0.11).
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then return end
  local config = M.client_config()
  config.root_dir = M.root_dir(name)
  config.workspace_folders = nil
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = legacy_clients[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      notify('cannot start ' .. table.concat(config.cmd, ' ') .. ' (is aura on PATH?)', vim.log.levels.ERROR)
      return
    end
    legacy_clients[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- The Aura client attached to a buffer.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in pairs(all) do
    if client.name == 'aura' and vim.lsp.buf_is_attached(bufnr, client.id) then return client end
  end
end

local function request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- What a command's result says, in one line.
function M.describe(command, result)
  if type(result) ~= 'table' then return command .. ' done' end
  if result.error then return result.error end
  if result.message then return result.message end
  if result.branch then return 'branch name: ' .. result.branch end
  if result.programs and result.programs[1] then
    local p = result.programs[1]
    return string.format('routed to program %s %s', p.number, p.name or '')
  end
  if result.undone ~= nil then return result.undone and 'last AI edit undone' or ('not undone: ' .. (result.reason or '?')) end
  if result.document then return 'report opened' end
  return command .. ' done'
end

-- Run `workspace/executeCommand` on the current buffer's Aura client;
-- `on_result(err, result)` defaults to a notification.
function M.execute(command, arguments, on_result)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    notify('no Aura client is attached to this buffer', vim.log.levels.WARN)
    return
  end
  on_result = on_result or function(err, result)
    if err then
      notify(command .. ': ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    else
      notify(M.describe(command, result))
    end
  end
  request(client, 'workspace/executeCommand', { command = command, arguments = arguments },
    function(err, result) on_result(err, result) end, bufnr)
end

-- The selection (from a range command) or the cursor line, as an LSP range.
local function range_params(opts)
  local client = M.client()
  local encoding = client and client.offset_encoding or 'utf-16'
  local params
  if opts and opts.range and opts.range > 0 then
    local last = vim.api.nvim_buf_get_lines(0, opts.line2 - 1, opts.line2, false)[1] or ''
    params = vim.lsp.util.make_given_range_params({ opts.line1, 0 }, { opts.line2, #last }, 0, encoding)
  else
    params = vim.lsp.util.make_range_params(0, encoding)
  end
  return { uri = params.textDocument.uri, range = params.range }
end

local function ai_request(text, opts, program)
  local request_args = range_params(opts)
  request_args.text = text
  request_args.program = program
  return request_args
end

local function words(opts)
  if opts.args and opts.args ~= '' then return opts.args end
end

-- The user commands, one per Aura command.
M.commands = {
  AuraRunProgram = { range = true, nargs = '?', desc = 'Run an Aura program (number or code) on the selection',
    run = function(opts)
      local program = words(opts)
      M.execute('aura.runProgram', { ai_request(nil, opts, tonumber(program) or program) })
    end },
  AuraExplain = { range = true, desc = 'Explain the selection',
    run = function(opts) M.execute('aura.runProgram', { ai_request('explain this code', opts) }) end },
  AuraFix = { range = true, desc = 'Fix the diagnostic under the cursor with a model',
    run = function(opts)
      local line = vim.api.nvim_win_get_cursor(0)[1] - 1
      local found = vim.diagnostic.get(0, { lnum = line })
      local text = found[1] and ('fix: ' .. found[1].message) or 'fix this code'
      M.execute('aura.runProgram', { ai_request(text, opts) })
    end },
  AuraTests = { range = true, desc = 'Generate tests for the selection',
    run = function(opts) M.execute('aura.runProgram', { ai_request('write unit tests for this', opts) }) end },
  AuraDocument = { range = true, desc = 'Document the selection',
    run = function(opts) M.execute('aura.runProgram', { ai_request('write documentation for this', opts) }) end },
  AuraRefactor = { range = true, desc = 'Refactor the selection',
    run = function(opts) M.execute('aura.runProgram', { ai_request('refactor this code', opts) }) end },
  AuraRoute = { range = true, nargs = '*', desc = 'Show how Aura routes a request',
    run = function(opts) M.execute('aura.route', { ai_request(words(opts) or 'explain this', opts) }) end },
  AuraUndo = { desc = 'Undo the last AI edit exactly',
    run = function() M.execute('aura.undoLastAiEdit', {}) end },
  AuraDoctor = { desc = 'Check the configured models and the usual local servers',
    run = function() M.execute('aura.doctor', { {} }) end },
  AuraImpact = { nargs = '?', desc = 'Changed functions and their callers (arg: staged)',
    run = function(opts) M.execute('aura.impact', { { staged = opts.args == 'staged' } }) end },
  AuraCommitMessage = { nargs = '?', desc = 'A conventional-commit message (arg: staged); yanked to "',
    run = function(opts)
      M.execute('aura.commitMessage', { { staged = opts.args == 'staged', show = false } }, function(err, result)
        if err or not result or result.error then
          notify((err and err.message) or (result and result.error) or 'no message', vim.log.levels.WARN)
          return
        end
        vim.fn.setreg('"', result.message)
        notify(result.message .. '\n(yanked)')
      end)
    end },
  AuraBranchName = { nargs = '*', desc = 'A branch name for a description or the changes',
    run = function(opts)
      local description = words(opts)
      M.execute('aura.branchName', { { description = description, show = false } })
    end },
  AuraHotspots = { nargs = '?', desc = 'Complex code that changes often',
    run = function(opts) M.execute('aura.hotspots', { { path = words(opts) } }) end },
  AuraShape = { desc = 'Code shape: near-copy clusters, outliers, import cycles',
    run = function() M.execute('aura.shape', { {} }) end },
  AuraSimilar = { desc = 'Functions most similar in meaning to the one under the cursor (quickfix list)',
    run = function()
      local client = M.client()
      if not client then notify('no Aura client is attached to this buffer', vim.log.levels.WARN) return end
      local params = vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
      params.k = 10
      request(client, 'aura/similar', params, function(err, result)
        if err or not result or result.error then
          notify((err and err.message) or (result and result.error) or 'nothing similar', vim.log.levels.WARN)
          return
        end
        local items = {}
        for _, f in ipairs(result.similar) do
          table.insert(items, { filename = vim.uri_to_fname(f.uri), lnum = f.range.start.line + 1, col = 1,
            text = string.format('%s (similarity %.3f)', f.name, f.similarity) })
        end
        vim.schedule(function()
          vim.fn.setqflist({}, ' ', { title = 'Similar to ' .. result['function'].name, items = items })
          vim.cmd('copen')
        end)
      end, vim.api.nvim_get_current_buf())
    end },
  AuraMetrics = { desc = 'Metrics of the function under the cursor',
    run = function()
      local params = vim.lsp.util.make_position_params(0, (M.client() or {}).offset_encoding or 'utf-16')
      M.execute('aura.functionMetrics', { params.textDocument.uri, params.position }, function(err, result)
        if err then notify(err.message, vim.log.levels.ERROR) return end
        if not result then notify('the cursor is not on a function header') return end
        notify(string.format('%s: cyclomatic %d, cognitive %d', result.name, result.cyclomatic, result.cognitive))
      end)
    end },
  AuraStatus = { desc = "Aura's model health",
    run = function() notify(M.status()) end },
  AuraRestart = { desc = 'Restart the Aura server',
    run = function()
      local buffers = {}
      local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
      for _, client in pairs(all) do
        if client.name == 'aura' then
          for bufnr in pairs(client.attached_buffers or {}) do table.insert(buffers, bufnr) end
          client.stop()
        end
      end
      legacy_clients = {}
      vim.defer_fn(function()
        for _, bufnr in ipairs(buffers) do
          if has('nvim-0.11') then
            vim.lsp.enable('aura', false)
            vim.lsp.enable('aura')
          else
            M.start(bufnr)
          end
        end
      end, 500)
    end },
}

function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if M.options.commands then
    for name, spec in pairs(M.commands) do
      vim.api.nvim_create_user_command(name, spec.run,
        { range = spec.range, nargs = spec.nargs or 0, desc = spec.desc, force = true })
    end
  end
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('aura', M.client_config())
    vim.lsp.enable('aura')
    return
  end
  local group = vim.api.nvim_create_augroup('aura', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.filetypes,
    callback = function(args) M.start(args.buf) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

return M
