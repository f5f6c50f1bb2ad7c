; Document symbols; see python/symbols.scm for the capture conventions.
; `impl` blocks have no `@name`: their name is their header (`impl Display for Point`).
(mod_item name: (identifier) @name) @symbol.module
(struct_item name: (type_identifier) @name) @symbol.struct
(union_item name: (type_identifier) @name) @symbol.struct
(enum_item name: (type_identifier) @name) @symbol.enum
(trait_item name: (type_identifier) @name) @symbol.trait
(impl_item) @symbol.impl
(function_item name: (identifier) @name) @symbol.function
(function_signature_item name: (identifier) @name) @symbol.function
(type_item name: (type_identifier) @name) @symbol.type
(const_item name: (identifier) @name) @symbol.constant
(static_item name: (identifier) @name) @symbol.constant
(macro_definition name: (identifier) @name) @symbol.macro
