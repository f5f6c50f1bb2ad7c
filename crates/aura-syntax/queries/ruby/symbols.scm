; Document symbols; see python/symbols.scm for the capture conventions.
(module name: (_) @name) @symbol.module
(class name: (_) @name) @symbol.class
(method name: (_) @name) @symbol.function
(singleton_method name: (_) @name) @symbol.method
