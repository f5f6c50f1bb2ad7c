//! Prints the S-expression of a file: `cargo run -p aura-syntax --example sexp -- LANG FILE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = aura_syntax::registry().by_id(&args[1]).expect("language id");
    let text = std::fs::read_to_string(&args[2]).expect("readable file");
    let mut doc = aura_syntax::Document::new(&text, Some(lang));
    let tree = doc.tree().expect("tree");
    print_node(tree.root_node(), 0);
}

fn print_node(node: aura_syntax::tree_sitter::Node, depth: usize) {
    let flags = if node.is_missing() { " MISSING" } else { "" };
    let name = if node.is_named() { node.kind().to_string() } else { format!("{:?}", node.kind()) };
    println!("{:indent$}{name}{flags} {:?}", "", node.byte_range(), indent = depth * 2);
    let mut c = node.walk();
    for child in node.children(&mut c) {
        print_node(child, depth + 1);
    }
}
