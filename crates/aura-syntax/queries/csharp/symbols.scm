; Document symbols; see python/symbols.scm for the capture conventions.
(namespace_declaration name: (_) @name) @symbol.namespace
(file_scoped_namespace_declaration name: (_) @name) @symbol.namespace
(class_declaration name: (identifier) @name) @symbol.class
(record_declaration name: (identifier) @name) @symbol.class
(struct_declaration name: (identifier) @name) @symbol.struct
(interface_declaration name: (identifier) @name) @symbol.interface
(enum_declaration name: (identifier) @name) @symbol.enum
(method_declaration name: (identifier) @name) @symbol.method
(constructor_declaration name: (identifier) @name) @symbol.constructor
(property_declaration name: (identifier) @name) @symbol.property
(local_function_statement name: (identifier) @name) @symbol.function
