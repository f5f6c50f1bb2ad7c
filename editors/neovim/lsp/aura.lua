-- Neovim 0.11+: `vim.lsp.enable('aura')` with this folder on 'runtimepath'
-- starts Aura with its defaults; require('aura').setup() adds the commands.
return require('aura').client_config()
