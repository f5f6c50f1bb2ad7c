; Document symbols; see python/symbols.scm for the capture conventions.
(class_declaration name: (identifier) @name) @symbol.class
(interface_declaration name: (identifier) @name) @symbol.interface
(enum_declaration name: (identifier) @name) @symbol.enum
(record_declaration name: (identifier) @name) @symbol.struct
(annotation_type_declaration name: (identifier) @name) @symbol.interface
(method_declaration name: (identifier) @name) @symbol.method
(constructor_declaration name: (identifier) @name) @symbol.constructor
