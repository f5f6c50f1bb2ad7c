; Document symbols; see python/symbols.scm for the capture conventions.
(namespace_definition name: (_) @name) @symbol.namespace
(class_specifier name: (_) @name body: (_)) @symbol.class
(struct_specifier name: (_) @name body: (_)) @symbol.struct
(union_specifier name: (_) @name body: (_)) @symbol.struct
(enum_specifier name: (_) @name body: (_)) @symbol.enum
(function_definition
  declarator: (function_declarator declarator: (qualified_identifier) @name)) @symbol.method
; A statement macro before `if (x) {` reads as a function named `if`: not a symbol.
((function_definition
  declarator: (function_declarator
    declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)) @symbol.function
  (#not-any-of? @name "if" "while" "for" "switch"))
(function_definition
  declarator: (pointer_declarator
    declarator: (function_declarator declarator: (_) @name))) @symbol.function
(function_definition
  declarator: (reference_declarator
    (function_declarator declarator: (_) @name))) @symbol.function
(field_declaration
  declarator: (function_declarator declarator: (_) @name)) @symbol.method
(type_definition declarator: (type_identifier) @name) @symbol.type
(alias_declaration name: (type_identifier) @name) @symbol.type
(preproc_function_def name: (identifier) @name) @symbol.macro
