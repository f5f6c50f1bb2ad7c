; Document symbols; see python/symbols.scm for the capture conventions.
; Earlier patterns win when two match the same node.
(function_declaration name: (identifier) @name) @symbol.function
(method_declaration name: (field_identifier) @name) @symbol.method
(type_spec name: (type_identifier) @name type: (struct_type)) @symbol.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @symbol.interface
(type_spec name: (type_identifier) @name) @symbol.type
(type_alias name: (type_identifier) @name) @symbol.type
(method_elem name: (field_identifier) @name) @symbol.method
(const_spec name: (identifier) @name) @symbol.constant
