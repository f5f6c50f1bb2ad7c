; Document symbols; see python/symbols.scm for the capture conventions.
; A statement macro before `if (x) {` reads as a function named `if`: not a symbol.
((function_definition
  declarator: (function_declarator declarator: (identifier) @name)) @symbol.function
  (#not-any-of? @name "if" "while" "for" "switch"))
(function_definition
  declarator: (pointer_declarator
    declarator: (function_declarator declarator: (identifier) @name))) @symbol.function
(struct_specifier name: (type_identifier) @name body: (_)) @symbol.struct
(union_specifier name: (type_identifier) @name body: (_)) @symbol.struct
(enum_specifier name: (type_identifier) @name body: (_)) @symbol.enum
(type_definition declarator: (type_identifier) @name) @symbol.type
(preproc_function_def name: (identifier) @name) @symbol.macro
