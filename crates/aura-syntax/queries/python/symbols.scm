; Document symbols. `@symbol.<kind>` marks the whole definition, `@name` its
; name; a function nested in a class becomes a method (see symbols.rs).
(class_definition name: (identifier) @name) @symbol.class
(function_definition name: (identifier) @name) @symbol.function
