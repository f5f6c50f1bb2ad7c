; Document symbols; see python/symbols.scm for the capture conventions.
(class_declaration name: (identifier) @name) @symbol.class
(class name: (identifier) @name) @symbol.class
(function_declaration name: (identifier) @name) @symbol.function
(generator_function_declaration name: (identifier) @name) @symbol.function
(method_definition name: (_) @name) @symbol.method
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @symbol.function
(variable_declarator
  name: (identifier) @name
  value: (class)) @symbol.class
