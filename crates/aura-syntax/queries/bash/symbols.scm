; Document symbols; see python/symbols.scm for the capture conventions.
(function_definition name: (word) @name) @symbol.function
